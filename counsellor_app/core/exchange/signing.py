"""Signatures on exchange files: Ed25519 from ``cryptography``, no construction of our own.

Every notebook has one signing key pair, made on first use and kept inside the encrypted
notebook (its ``meta`` table, like the age identity in :mod:`.crypto`). A file that
leaves (a summary bundle, a review file, a comment file) is signed over its whole
plaintext, which names the recipient's public key and the file's counter; the signed
plaintext is what age then encrypts, so the signature travels inside the encryption::

    SIGNED_MAGIC (10 bytes) | public key (32 bytes) | signature (64 bytes) | plaintext

The receiver verifies the signature against the public key in the file, and then decides
whether that key is the one it has pinned for the sender (:mod:`counsellor_app.core
.supervision` for bundles). A key card (:func:`key_card_text`) is the small text a sender
gives the receiver beforehand: the public key and a short fingerprint to compare aloud.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pyrage import ssh

from counsellor_app.core.exchange.errors import ExchangeError
from counsellor_app.core.i18n import _
from counsellor_app.core.safefile import atomic_write_bytes
from counsellor_app.core.store import Notebook, guarded

#: The first bytes of a signed plaintext (format version 2 of the exchange files).
SIGNED_MAGIC = b"CNSIGNED2\n"
PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
SIGNING_META = "exchange_signing_key"
KEY_CARD_SUFFIX = ".keycard"
_KEY_PREFIX = "ed25519:"


class InvalidKeyCard(ExchangeError):
    """The text or file given as a key card holds no valid key card."""


class NotSigned(Exception):
    """The plaintext carries no signature (internal: the reader says why in words)."""


class BadSignature(Exception):
    """The signature does not match the plaintext and key (internal)."""


@dataclass(frozen=True)
class Signed:
    """A verified plaintext and the public key (32 raw bytes) that signed it."""

    key: bytes
    #: The signed plaintext, a view into the decrypted bytes (no copy of a large file).
    view: memoryview

    @property
    def payload(self) -> bytes:
        """The signed plaintext as bytes (a copy)."""
        return bytes(self.view)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)


def fingerprint(key: bytes) -> str:
    """A short fingerprint of a public key to compare by eye or aloud: the first 80 bits
    of its SHA-256 as four groups of four letters and digits (``ABCD-EFGH-...``)."""
    digest = base64.b32encode(hashlib.sha256(key).digest()[:10]).decode("ascii")
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def encode_key(key: bytes) -> str:
    """A public key as text (``ed25519:`` and its base64), as stored and on a key card."""
    return _KEY_PREFIX + base64.b64encode(key).decode("ascii")


def decode_key(text: str) -> bytes:
    """The raw public key of :func:`encode_key`'s text; ValueError if it is none."""
    if not text.startswith(_KEY_PREFIX):
        raise ValueError(text)
    raw = base64.b64decode(text[len(_KEY_PREFIX) :], validate=True)
    if len(raw) != PUBLIC_KEY_BYTES:
        raise ValueError(text)
    Ed25519PublicKey.from_public_bytes(raw)
    return raw


def _private(notebook: Notebook) -> Ed25519PrivateKey:
    """The notebook's signing key, made (and kept in the notebook) on first use."""
    with notebook.transaction():
        existing = notebook.meta(SIGNING_META)
        if existing:
            return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(existing))
        made = Ed25519PrivateKey.generate()
        notebook.set_meta(SIGNING_META, made.private_bytes_raw().hex())
        return made


@guarded
def signing_key(notebook: Notebook) -> bytes:
    """The notebook's public signing key (32 raw bytes), made on first use."""
    return _private(notebook).public_key().public_bytes_raw()


@guarded
def sign(notebook: Notebook, plaintext: bytes) -> bytes:
    """``plaintext`` signed with the notebook's key: what is then encrypted."""
    return sign_with(_private(notebook), plaintext)


def sign_with(private: Ed25519PrivateKey, plaintext: bytes) -> bytes:
    """As :func:`sign`, with a key held elsewhere (tests and tools)."""
    public = private.public_key().public_bytes_raw()
    return SIGNED_MAGIC + public + private.sign(plaintext) + plaintext


def verify(data: bytes) -> Signed:
    """The plaintext and signer of a signed plaintext, once its signature is checked.

    Raises :class:`NotSigned` (no signature at all) or :class:`BadSignature`.
    """
    if not data.startswith(SIGNED_MAGIC):
        raise NotSigned
    start = len(SIGNED_MAGIC)
    key = data[start : start + PUBLIC_KEY_BYTES]
    signature = data[start + PUBLIC_KEY_BYTES : start + PUBLIC_KEY_BYTES + SIGNATURE_BYTES]
    payload = memoryview(data)[start + PUBLIC_KEY_BYTES + SIGNATURE_BYTES :]
    if len(signature) != SIGNATURE_BYTES:
        raise BadSignature
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(signature, payload)
    except (InvalidSignature, ValueError):
        raise BadSignature from None
    return Signed(key, payload)


# ---------------------------------------------------------------------------- age to a signing key


def age_recipient(key: bytes) -> ssh.Recipient:
    """An age recipient for a notebook's public signing key: age's own ``ssh-ed25519``
    recipient type (the key as OpenSSH writes it), so a file can be encrypted to the
    counsellors a supervisor has enrolled without another key to exchange."""
    public = Ed25519PublicKey.from_public_bytes(key)
    line = public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return ssh.Recipient.from_str(line.decode("ascii"))


@guarded
def age_identity(notebook: Notebook) -> ssh.Identity:
    """The age identity that opens a file encrypted to :func:`age_recipient` of this
    notebook's signing key."""
    pem = _private(notebook).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )
    return ssh.Identity.from_buffer(pem)


# ---------------------------------------------------------------------------- key cards


@dataclass(frozen=True)
class KeyCard:
    """A sender's public signing key, as the receiver enrols it: for a counsellor, the
    pseudonymous id too (``sender``)."""

    sender: str
    key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)


def key_card_text(sender: str, key: bytes) -> str:
    """The text of a key card: a comment line, the sender's id, the key, its fingerprint."""
    return (
        "# "
        + _(
            "Key card of a Counsellor's Notebook. Compare the fingerprint with the sender "
            "before enrolling it."
        )
        + "\n"
        + f"sender: {sender}\nkey: {encode_key(key)}\nfingerprint: {fingerprint(key)}\n"
    )


def write_key_card(sender: str, key: bytes, path: Path) -> None:
    """Write a key card to ``path`` atomically."""
    atomic_write_bytes(Path(path), key_card_text(sender, key).encode("utf-8"))


def parse_key_card(text: str) -> KeyCard:
    """The key card in ``text``; :class:`InvalidKeyCard` if it holds none or its
    fingerprint does not belong to its key (a changed card)."""
    fields: dict[str, str] = {}
    for line in text[:4096].splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        name, _sep, value = line.partition(":")
        fields.setdefault(name.strip().lower(), value.strip())
    try:
        key = decode_key(fields.get("key", ""))
    except ValueError:
        raise InvalidKeyCard(_("This is not a key card of Counsellor's Notebook.")) from None
    if fields.get("fingerprint", "").upper() != fingerprint(key):
        raise InvalidKeyCard(
            _("The key card's fingerprint does not belong to its key: the card was changed.")
        )
    return KeyCard(fields.get("sender", ""), key)


def read_key_card(path: Path) -> KeyCard:
    """The key card in the file at ``path`` (see :func:`parse_key_card`)."""
    path = Path(path)
    try:
        text = path.read_bytes()[:4096].decode("utf-8")
    except (OSError, UnicodeDecodeError):
        raise InvalidKeyCard(
            _("{name} could not be read as a key card.").format(name=path.name)
        ) from None
    return parse_key_card(text)
