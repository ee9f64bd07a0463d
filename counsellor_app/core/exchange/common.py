"""Helpers shared by the exchange files (summary bundles and review files): their
readers, and the public keys they are encrypted to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PureWindowsPath
from typing import Generic, Protocol, TypeVar

from pyrage import x25519

from counsellor_app.core.exchange.crypto import PUBLIC_KEY_SUFFIX, parse_recipient
from counsellor_app.core.exchange.errors import BundleUnreadable, InvalidPublicKey, NotABundle
from counsellor_app.core.i18n import _


class ImportStatus:
    """What became of one file given to an import (of bundles or of review files)."""

    IMPORTED = "imported"
    ALREADY_IMPORTED = "already_imported"
    REFUSED = "refused"


class _FileResult(Protocol):
    @property
    def status(self) -> str: ...


R = TypeVar("R", bound=_FileResult)


@dataclass(frozen=True)
class FileReport(Generic[R]):
    """What became of each file given to an import, in the order given."""

    results: tuple[R, ...]

    @property
    def imported(self) -> tuple[R, ...]:
        return tuple(r for r in self.results if r.status == ImportStatus.IMPORTED)

    @property
    def already_imported(self) -> tuple[R, ...]:
        return tuple(r for r in self.results if r.status == ImportStatus.ALREADY_IMPORTED)

    @property
    def refused(self) -> tuple[R, ...]:
        return tuple(r for r in self.results if r.status == ImportStatus.REFUSED)


def read_limited(path: Path, max_bytes: int, too_large: str) -> bytes:
    """The bytes of the file at ``path``.

    Raises :class:`NotABundle` (reason ``too_large``, sentence ``too_large``) for a file
    larger than ``max_bytes`` before reading it, and :class:`BundleUnreadable` naming the
    file when it cannot be read.
    """
    try:
        if path.stat().st_size > max_bytes:
            raise NotABundle(path, "too_large", too_large)
        return path.read_bytes()
    except OSError as error:
        raise BundleUnreadable(
            path,
            "unreadable",
            _("{name} could not be read: {reason}").format(
                name=path.name, reason=error.strerror or error
            ),
        ) from error


# ---------------------------------------------------------------------------- public keys


class KeyHolder(StrEnum):
    """Whose public key an export is encrypted to: the person a sentence about a wrong
    key tells the user to ask for it again."""

    #: A counsellor's summary bundle goes to the supervisor.
    SUPERVISOR = "supervisor"
    #: A student's case for review goes to the mentor.
    MENTOR = "mentor"
    #: A mentor's comments go back to the student.
    STUDENT = "student"


def _not_a_key(holder: KeyHolder) -> str:
    """The sentence for a pasted text that is not a public key."""
    if holder is KeyHolder.MENTOR:
        return _(
            "This is not a public key of Counsellor's Notebook. A public key starts with "
            '"age1"; ask your mentor for the file again.'
        )
    if holder is KeyHolder.STUDENT:
        return _(
            "This is not a public key of Counsellor's Notebook. A public key starts with "
            '"age1"; ask the student for the file again.'
        )
    return _(
        "This is not a public key of Counsellor's Notebook. A public key starts with "
        '"age1"; ask your supervisor for the file again.'
    )


def _no_key_in(name: str, holder: KeyHolder) -> str:
    """The sentence for a file that holds no public key."""
    if holder is KeyHolder.MENTOR:
        text = _(
            '{name} holds no public key of Counsellor\'s Notebook (one starting with "age1"). '
            "Ask your mentor for the file again."
        )
    elif holder is KeyHolder.STUDENT:
        text = _(
            '{name} holds no public key of Counsellor\'s Notebook (one starting with "age1"). '
            "Ask the student for the file again."
        )
    else:
        text = _(
            '{name} holds no public key of Counsellor\'s Notebook (one starting with "age1"). '
            "Ask your supervisor for the file again."
        )
    return text.format(name=name)


def _looks_like_a_path(text: str) -> bool:
    """Whether ``text`` reads as the path of a key file rather than as a pasted key: it
    names a folder, a drive or the home folder, or ends in ``.pub``."""
    return (
        "/" in text
        or "\\" in text
        or text.startswith("~")
        or bool(PureWindowsPath(text).drive)
        or text.lower().endswith(PUBLIC_KEY_SUFFIX)
    )


def read_public_key(source: x25519.Recipient | str | Path, holder: KeyHolder) -> x25519.Recipient:
    """The public key to encrypt to: ``source`` is the key itself (``age1...``) or the
    path of a ``.pub`` file holding it, as for :func:`~.crypto.load_recipient`.

    Raises :class:`InvalidPublicKey` with a plain sentence; one about a wrong key names
    ``holder``, the person to ask for it again (the mentor, not a supervisor, when a
    student exports a case for review). Text that is no file and does not read as a path
    (no folder, no ``.pub``: "hello" typed in the key field) is a wrong key too, not a
    missing file.
    """
    if isinstance(source, x25519.Recipient):
        return source
    text = str(source).strip()
    if text.lower().startswith("age1") and not Path(text).exists():
        return _parsed(text, _not_a_key(holder))
    path = Path(source)
    if not isinstance(source, Path) and not _looks_like_a_path(text) and not path.exists():
        # a word pasted or typed where the key goes ("hello"): a wrong key, not a
        # missing file
        raise InvalidPublicKey(_not_a_key(holder))
    try:
        content = path.read_bytes()[:4096].decode("utf-8")
    except FileNotFoundError:
        raise InvalidPublicKey(
            _("There is no public key file at {path}.").format(path=path)
        ) from None
    except (OSError, UnicodeDecodeError):
        raise InvalidPublicKey(
            _("{name} could not be read as a public key file.").format(name=path.name)
        ) from None
    return _parsed(content, _no_key_in(path.name, holder))


def load_recipient(source: x25519.Recipient | str | Path) -> x25519.Recipient:
    """A supervisor's public key, from a key file's path or the key itself (``age1...``)."""
    return read_public_key(source, KeyHolder.SUPERVISOR)


def _parsed(text: str, sentence: str) -> x25519.Recipient:
    try:
        return parse_recipient(text)
    except InvalidPublicKey:
        raise InvalidPublicKey(sentence) from None
