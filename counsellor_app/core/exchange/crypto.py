"""Encryption of bundles with age (https://age-encryption.org/v1), through ``pyrage``.

No cryptography of our own: a bundle is an age file for one X25519 recipient, the
supervisor's (or mentor's) public key. age encrypts the content with ChaCha20-Poly1305 in
64 KiB chunks (its STREAM construction) and authenticates the header with an HMAC, so a
changed byte anywhere, a cut-off end or a swapped header makes decryption fail; nothing of
such a file is ever used.

The key pair of a receiving notebook is made once (:func:`ensure_key_pair`); the private
half (``AGE-SECRET-KEY-1...``) is kept inside the encrypted notebook (its ``meta`` table)
and so is protected, backed up and restored with it. The public half (``age1...``) is not
secret: it is printed and written to a small ``.pub`` file for counsellors.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyrage
from pyrage import x25519

from counsellor_app.core.exchange.errors import (
    BundleAltered,
    BundleWrongKey,
    InvalidPublicKey,
    NoKeyPair,
    NotABundle,
)
from counsellor_app.core.i18n import _
from counsellor_app.core.safefile import atomic_write_bytes
from counsellor_app.core.store import Notebook, guarded

#: Every binary age file begins with this line.
AGE_MAGIC = b"age-encryption.org/v1\n"
AGE_ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"
IDENTITY_META = "exchange_identity"
PUBLIC_KEY_SUFFIX = ".pub"


@guarded
def public_key(notebook: Notebook) -> str | None:
    """The notebook's public key (``age1...``), or None if it has no key pair yet."""
    secret = notebook.meta(IDENTITY_META)
    if not secret:
        return None
    return str(x25519.Identity.from_str(secret).to_public())


@guarded
def ensure_key_pair(notebook: Notebook) -> str:
    """Make the notebook's key pair if it has none; return its public key.

    Called when a supervisor (or mentor) asks for the public key to hand out. Never
    replaces an existing key pair: bundles already made for it must stay readable.
    """
    with notebook.transaction():
        existing = public_key(notebook)
        if existing:
            return existing
        identity = x25519.Identity.generate()
        notebook.set_meta(IDENTITY_META, str(identity))
        return str(identity.to_public())


@guarded
def require_key_pair(notebook: Notebook) -> None:
    """Raise :class:`NoKeyPair` if the notebook has no key pair (so cannot import)."""
    _identity(notebook)


def _identity(notebook: Notebook) -> x25519.Identity:
    secret = notebook.meta(IDENTITY_META)
    if not secret:
        raise NoKeyPair(
            _(
                "This notebook has no key pair yet, so no bundle can have been made for it. "
                "Show its public key first (counsellor-app public-key) and give it to the "
                "counsellors."
            )
        )
    return x25519.Identity.from_str(secret)


def parse_recipient(text: str) -> x25519.Recipient:
    """A recipient from the text of a ``.pub`` file or a pasted key.

    Lines starting with ``#`` are comments; the first word starting with ``age1`` is the
    key. Raises :class:`InvalidPublicKey`.
    """
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        for word in line.split():
            if word.lower().startswith("age1"):
                try:
                    return x25519.Recipient.from_str(word.lower())
                except pyrage.RecipientError:
                    break
        break
    raise InvalidPublicKey(
        _(
            "This is not a public key of Counsellor's Notebook. A public key starts with "
            '"age1"; ask your supervisor for the file again.'
        )
    )


def write_public_key_file(key: str, path: Path, header: str | None = None) -> None:
    """Write the public key to a small text file (atomically), under a comment line saying
    whom to give it to: ``header``, or else the counsellors (a supervisor's key)."""
    header = header or _("Public key of a Counsellor's Notebook; give it to counsellors.")
    text = "# " + header + "\n" + key + "\n"
    atomic_write_bytes(path, text.encode("utf-8"))


def encrypt(plaintext: bytes, recipient: x25519.Recipient) -> bytes:
    """The age file (binary) of ``plaintext`` for ``recipient``."""
    return bytes(pyrage.encrypt(plaintext, [recipient]))


def decrypt(notebook: Notebook, data: bytes, path: Path) -> bytes:
    """Decrypt a bundle file's bytes with the notebook's private key.

    Raises :class:`NotABundle` (not an age file), :class:`BundleWrongKey` (for another
    key) or :class:`BundleAltered` (changed or incomplete), each naming ``path``.
    """
    return decrypt_with(lambda: _identity(notebook), data, path)


def decrypt_with(identity: Callable[[], Any], data: bytes, path: Path) -> bytes:
    """Decrypt an age file's bytes with the pyrage identity ``identity()`` returns.

    ``identity`` is called only once ``data`` is an age file, since getting it may refuse
    (no key pair yet) or make a key. Raises as :func:`decrypt` does, with a bundle's
    sentences; a caller reading another kind of file words its own from the exception's
    class (and ``reason``).
    """
    name = path.name
    if not data.startswith(AGE_MAGIC):
        if data.lstrip().startswith((b"{", b"[")):
            raise NotABundle(
                path,
                "not_encrypted",
                _(
                    "{name} is not an encrypted bundle (it is plain text). It was not "
                    "imported; ask the counsellor to export it again with the app."
                ).format(name=name),
            )
        raise NotABundle(
            path,
            "not_a_bundle",
            _("{name} is not a summary bundle. It was not imported.").format(name=name),
        )
    key = identity()
    try:
        return bytes(pyrage.decrypt(data, [key]))
    except pyrage.DecryptError as error:
        if "no matching keys" in str(error).lower():
            raise BundleWrongKey(
                path,
                "wrong_key",
                _(
                    "{name} was not made for this notebook's key (or its beginning was "
                    "changed). It was not imported; ask the counsellor to export it with "
                    "this notebook's public key."
                ).format(name=name),
            ) from None
        raise BundleAltered(
            path,
            "altered",
            _(
                "{name} is altered or incomplete, so it cannot be trusted. It was not "
                "imported; ask the counsellor to send it again."
            ).format(name=name),
        ) from None
