"""Errors of the exchange: each names the file and says why, as a plain sentence."""

from __future__ import annotations

from pathlib import Path

from counsellor_app.core.errors import UserError


class ExchangeError(UserError):
    """Anything about a bundle or a public key that a user can act on."""


class BundleError(ExchangeError):
    """A bundle file was refused; nothing was changed. ``path`` and ``reason`` are kept
    apart for a window that lists several files."""

    def __init__(self, path: Path | str, reason: str, sentence: str) -> None:
        super().__init__(sentence)
        self.path = Path(path)
        self.reason = reason


class BundleAltered(BundleError):
    """The encrypted file was changed or cut short after it was made."""


class BundleWrongKey(BundleError):
    """The bundle was encrypted for another notebook's public key."""


class NotABundle(BundleError):
    """The file is not an encrypted summary bundle at all (or not encrypted)."""


class BundleTooNew(BundleError):
    """The bundle was made by a newer version of the app, in a format this one cannot read."""


class BundleInvalid(BundleError):
    """The bundle decrypts but does not follow the format (``where`` says where)."""

    def __init__(self, path: Path | str, reason: str, sentence: str, where: str = "") -> None:
        super().__init__(path, reason, sentence)
        self.where = where


class InvalidPublicKey(ExchangeError):
    """The text or file given as the recipient holds no valid ``age1...`` public key."""


class NoKeyPair(ExchangeError):
    """The notebook has no key pair yet, so nothing can have been encrypted for it."""


class NothingToExport(ExchangeError):
    """No case changed in the chosen period."""


class BundleUnreadable(BundleError):
    """The file could not be read from the disk (missing, a folder, no permission)."""


class BundleNotTrusted(BundleError):
    """The bundle is unsigned, wrongly signed, signed by a key other than the one pinned
    for its counsellor, or by a counsellor not yet enrolled (``reason`` says which).
    ``counsellor_id`` and ``fingerprint`` name the sender and the key it was signed with,
    where the file says them (so a window can ask to accept a new counsellor)."""

    def __init__(
        self,
        path: Path | str,
        reason: str,
        sentence: str,
        counsellor_id: str = "",
        fingerprint: str = "",
    ) -> None:
        super().__init__(path, reason, sentence)
        self.counsellor_id = counsellor_id
        self.fingerprint = fingerprint
