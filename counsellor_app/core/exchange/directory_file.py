"""The supervisor's help directory as a signed, encrypted file for the counsellors (issue 18).

The supervisor writes the whole directory (:func:`export_directory`) as a JSON document
that names its counter and its recipients, signs it with the notebook's signing key
(:mod:`.signing`) and encrypts it with age to every counsellor enrolled in the
supervisor's notebook (age's ``ssh-ed25519`` recipient type on each counsellor's pinned
signing key: no other key to exchange, and a counsellor not enrolled cannot open it).

A counsellor imports it (:func:`import_directory`) only when it is signed by the
supervisor key pinned in their notebook; the first file asks for that key to be accepted
explicitly, showing its fingerprint. A file whose counter is not higher than the last one
imported is refused as older. The supervisor's entries are then replaced by the file's,
in one transaction; the counsellor's own entries are never touched. Every refusal names
the file in one sentence and changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyrage

from counsellor_app.core import directory as d
from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange.common import read_limited
from counsellor_app.core.exchange.crypto import decrypt_with
from counsellor_app.core.exchange.errors import (
    BundleAltered,
    BundleError,
    BundleWrongKey,
    ExchangeError,
    NotABundle,
)
from counsellor_app.core.exchange.signing import (
    BadSignature,
    NotSigned,
    age_identity,
    age_recipient,
    decode_key,
    encode_key,
    fingerprint,
    sign,
    signing_key,
    verify,
)
from counsellor_app.core.i18n import _
from counsellor_app.core.safefile import atomic_write_bytes, storage_error
from counsellor_app.core.store import Notebook, guarded, now
from counsellor_app.core.taxonomy import taxonomy

DIRECTORY_SUFFIX = ".cndirectory"
FORMAT_NAME = "counsellors-notebook-directory"
FORMAT_VERSION = 1
#: 5,000 entries are about 2.5 MB; anything much larger is not a directory.
MAX_DIRECTORY_BYTES = 16 * 1024 * 1024
#: Meta keys: the supervisor's last counter sent; the counsellor's pinned supervisor key
#: and the counter of the directory last imported.
SENT_META = "directory_counter_sent"
PINNED_META = "directory_supervisor_key"
COUNTER_META = "directory_counter"
_FIELDS = ("organisation", "kind", "municipality", "phone", "web", "hours", "note", "source")


class DirectoryRefused(ExchangeError):
    """A directory file was refused; nothing was changed. ``reason`` names why for tests
    and windows (``unknown_signer``, ``key_mismatch``, ``older``, ...); ``fingerprint``
    is the signer's, where the file was signed."""

    def __init__(self, path: Path, reason: str, sentence: str, fingerprint: str = "") -> None:
        super().__init__(sentence)
        self.path = Path(path)
        self.reason = reason
        self.fingerprint = fingerprint


@dataclass(frozen=True)
class DirectoryExport:
    """What :func:`export_directory` wrote."""

    path: Path
    counter: int
    entries: int
    counsellors: int
    fingerprint: str

    def sentence(self) -> str:
        return _(
            "Directory number {counter} ({entries} entries) written to {path} for "
            "{counsellors} enrolled counsellors, signed with the key {fingerprint}."
        ).format(
            counter=self.counter,
            entries=self.entries,
            path=self.path,
            counsellors=self.counsellors,
            fingerprint=self.fingerprint,
        )


@dataclass(frozen=True)
class DirectoryUpdate:
    """What :func:`import_directory` changed."""

    path: Path
    counter: int
    made_on: date
    fingerprint: str
    added: int
    updated: int
    removed: int

    def sentence(self) -> str:
        return _(
            "{name}: the supervisor's directory number {counter} of {day} is imported: "
            "{added} new, {updated} updated, {removed} removed. Your own entries are kept."
        ).format(
            name=self.path.name,
            counter=self.counter,
            day=self.made_on.isoformat(),
            added=self.added,
            updated=self.updated,
            removed=self.removed,
        )


# ---------------------------------------------------------------------------- the supervisor


def _entry_json(entry: d.DirectoryEntry) -> dict[str, Any]:
    return {
        "uid": entry.uid,
        **{name: str(getattr(entry, name)) for name in _FIELDS},
        "themes": list(entry.themes),
        "checked_on": entry.checked_on.isoformat() if entry.checked_on else None,
    }


def _recipients(notebook: Notebook) -> list[bytes]:
    rows = notebook.query(
        "SELECT signing_key FROM exchange_counsellors WHERE signing_key IS NOT NULL "
        "ORDER BY counsellor_id"
    )
    return sorted({decode_key(str(row[0])) for row in rows})


@guarded
def export_directory(notebook: Notebook, out_path: Path) -> DirectoryExport:
    """Write the supervisor's whole directory to ``out_path``, signed and encrypted for
    every enrolled counsellor, under the next counter. A :class:`UserError` in a
    counsellor's notebook or while no counsellor is enrolled."""
    out_path = Path(out_path)
    if d.default_origin(notebook) is not d.Origin.SUPERVISOR:
        raise UserError(
            _("Only a supervisor's notebook sends the directory; yours can add own entries.")
        )
    keys = _recipients(notebook)
    if not keys:
        raise UserError(
            _(
                "No counsellor is enrolled yet, so nobody could open the directory. Enrol "
                "the counsellors' key cards first."
            )
        )
    chosen = d.public_entries(d.entries(notebook))  # through the gate, as every exit
    with notebook.transaction():
        counter = int(notebook.meta(SENT_META) or 0) + 1
        notebook.set_meta(SENT_META, str(counter))
        document = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "counter": counter,
            "made_on": now().date().isoformat(),
            "recipients": [encode_key(key) for key in keys],
            "entries": [_entry_json(entry) for entry in chosen],
        }
        plaintext = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
        data = pyrage.encrypt(sign(notebook, plaintext), [age_recipient(key) for key in keys])
        try:
            atomic_write_bytes(out_path, bytes(data))
        except OSError as error:
            raise storage_error(error, out_path.name) from error
    return DirectoryExport(
        out_path, counter, len(chosen), len(keys), fingerprint(signing_key(notebook))
    )


@guarded
def own_fingerprint(notebook: Notebook) -> str:
    """The fingerprint of the key this notebook signs directories with (the supervisor
    reads it to the counsellors, who compare it before accepting the first directory)."""
    return fingerprint(signing_key(notebook))


# ---------------------------------------------------------------------------- the counsellor


@guarded
def pinned_fingerprint(notebook: Notebook) -> str:
    """The fingerprint of the supervisor key this counsellor accepts directories from, or
    "" while none is accepted."""
    pinned = notebook.meta(PINNED_META)
    return fingerprint(decode_key(pinned)) if pinned else ""


def _refused(path: Path, reason: str, why: str, signer: str = "") -> DirectoryRefused:
    return DirectoryRefused(path, reason, f"{why} {_('Nothing was changed.')}", signer)


def _not_for_this_notebook(path: Path) -> DirectoryRefused:
    return _refused(
        path,
        "wrong_key",
        _(
            "{name} was not made for this notebook: ask your supervisor to enrol "
            "your key card and send the directory again."
        ).format(name=path.name),
    )


def _open(notebook: Notebook, path: Path) -> bytes:
    """The signed plaintext of the file, or a refusal naming it."""
    name = path.name
    try:
        data = read_limited(
            path,
            MAX_DIRECTORY_BYTES,
            _("{name} is too large to be a help directory.").format(name=name),
        )
    except BundleError as error:
        raise _refused(path, error.reason, str(error)) from None
    try:
        return decrypt_with(lambda: age_identity(notebook), data, path)
    except NotABundle:
        raise _refused(
            path,
            "not_a_directory",
            _("{name} is not a help directory from your supervisor.").format(name=name),
        ) from None
    except BundleWrongKey:
        raise _not_for_this_notebook(path) from None
    except BundleAltered:
        raise _refused(
            path,
            "altered",
            _("{name} is altered or incomplete, so it cannot be trusted.").format(name=name),
        ) from None


def _invalid(path: Path, where: str) -> DirectoryRefused:
    return _refused(
        path,
        "invalid",
        _("{name} is not a help directory this app can read ({where}).").format(
            name=path.name, where=where
        ),
    )


def _document(path: Path, payload: bytes) -> dict[str, Any]:
    try:
        document = json.loads(payload)
    except (ValueError, RecursionError):
        raise _invalid(path, "JSON") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise _invalid(path, "format")
    version = document.get("version")
    if not isinstance(version, int) or version < 1:
        raise _invalid(path, "version")
    if version > FORMAT_VERSION:
        raise _refused(
            path,
            "too_new",
            _("{name} was made by a newer version of the app; update the app to read it.").format(
                name=path.name
            ),
        )
    counter = document.get("counter")
    if not isinstance(counter, int) or isinstance(counter, bool) or counter < 1:
        raise _invalid(path, "counter")
    for key in ("recipients", "entries"):
        if not isinstance(document.get(key), list):
            raise _invalid(path, key)
    try:
        date.fromisoformat(str(document.get("made_on")))
    except ValueError:
        raise _invalid(path, "made_on") from None
    return document


def _entry(path: Path, number: int, raw: Any) -> d.DirectoryEntry:
    """One entry of the file, checked as an entry typed by hand is (:func:`validate`)."""
    where = _("entry {number}").format(number=number)
    if not isinstance(raw, dict):
        raise _invalid(path, where)
    texts = {name: raw.get(name, "") for name in (*_FIELDS, "uid")}
    themes = raw.get("themes", [])
    checked = raw.get("checked_on")
    if not all(isinstance(value, str) for value in texts.values()) or not isinstance(themes, list):
        raise _invalid(path, where)
    known = {term.id for term in taxonomy().themes}
    try:
        entry = d.DirectoryEntry(
            organisation=texts["organisation"],
            # A kind of a newer version is shown as "Other" until the app is updated.
            kind=d.kind_from_text(texts["kind"]) or d.EntryKind.OTHER,
            municipality=texts["municipality"],
            # Themes of a newer taxonomy cannot be searched here; they are left out.
            themes=[str(theme) for theme in themes if theme in known],
            phone=texts["phone"],
            web=texts["web"],
            hours=texts["hours"],
            note=texts["note"],
            source=texts["source"],
            checked_on=date.fromisoformat(checked) if isinstance(checked, str) else None,
            origin=d.Origin.SUPERVISOR,
            uid=texts["uid"],
        )
        return d.validate(entry)
    except ValueError:
        raise _invalid(path, where) from None
    except UserError as error:
        raise _refused(
            path, "bad_entry", f"{path.name}: {texts['organisation'] or where}: {error}"
        ) from None


@guarded
def import_directory(
    notebook: Notebook, path: Path, *, accept_new: bool | str = False, change_key: str = ""
) -> DirectoryUpdate:
    """Import the supervisor's directory file at ``path`` into a counsellor's notebook.

    Accepted only when signed by the pinned supervisor key; while none is pinned, only
    when ``accept_new`` is True or the signer's fingerprint (the one the counsellor
    compared in the window). A file signed by another key replaces the pinned key only
    when ``change_key`` is that key's fingerprint (the counsellor's explicit act, for a
    supervisor with a new notebook); its counter then starts afresh. Refused
    (:class:`DirectoryRefused`, nothing changed) when it is not for this notebook,
    altered, unsigned, signed by another key, or not newer than the directory last
    imported.
    """
    path = Path(path)
    name = path.name
    plaintext = _open(notebook, path)
    try:
        signed = verify(plaintext)
    except (NotSigned, BadSignature):
        raise _refused(
            path,
            "bad_signature",
            _("{name} is not signed correctly, so it cannot be trusted.").format(name=name),
        ) from None
    signer = signed.fingerprint
    pinned = notebook.meta(PINNED_META)
    changing = bool(pinned) and decode_key(pinned or "") != signed.key
    if changing and change_key != signer:
        raise _refused(
            path,
            "key_mismatch",
            _(
                "{name} is signed with another key ({fingerprint}) than your supervisor's "
                "({pinned}). Only if your supervisor tells you they have a new key with "
                "this fingerprint, change it (directory import --change-key FINGERPRINT)."
            ).format(name=name, fingerprint=signer, pinned=fingerprint(decode_key(pinned or ""))),
            signer,
        )
    if not pinned and accept_new is not True and accept_new != signer:
        raise _refused(
            path,
            "unknown_signer",
            _(
                "{name} is signed with the key {fingerprint}, which you have not accepted "
                "yet. Compare the fingerprint with your supervisor, then accept it "
                "(directory import --accept-new)."
            ).format(name=name, fingerprint=signer),
            signer,
        )
    document = _document(path, signed.payload)
    if encode_key(signing_key(notebook)) not in document["recipients"]:
        raise _not_for_this_notebook(path)
    counter = int(document["counter"])
    # A new key counts from its own start: the old key's counter says nothing about it.
    current = 0 if changing else int(notebook.meta(COUNTER_META) or 0)
    if counter <= current:
        raise _refused(
            path,
            "older",
            _(
                "{name} is not newer than the directory you have (it is number {counter}, "
                "yours is number {current})."
            ).format(name=name, counter=counter, current=current),
            signer,
        )
    new = [_entry(path, number, raw) for number, raw in enumerate(document["entries"], start=1)]
    with notebook.transaction():
        result = d.replace_supervisor_entries(notebook, new)
        notebook.set_meta(PINNED_META, encode_key(signed.key))
        notebook.set_meta(COUNTER_META, str(counter))
    return DirectoryUpdate(
        path,
        counter,
        date.fromisoformat(document["made_on"]),
        signer,
        result.added,
        result.updated,
        result.removed,
    )
