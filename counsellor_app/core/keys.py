"""The notebook's key file: the data key, wrapped by the passphrase and by the recovery
key.

A notebook is encrypted by SQLCipher with a random 256-bit *data key*. That key is never
stored in clear: the key file beside the notebook (``<notebook>.key``) holds it encrypted
with AES-256-GCM under a key derived by Argon2id (at least RFC 9106's second recommended
setting: 3 passes, 64 MiB, 4 lanes; new key files take about half a second here) from the
passphrase, and, for the recovery key shown once when the notebook is made, sealed with
age (X25519) to a recovery key pair whose private half is wrapped the same way under the
recovery key (see :class:`KeyFile`).

Either unlocks the notebook. Changing a secret gives the notebook a new data key and
re-encrypts it (:mod:`counsellor_app.core.rekey`), so an old key file with an old
passphrase opens nothing current. All primitives come from ``cryptography``,
``argon2-cffi`` and ``pyrage``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counsellor_app.core.errors import (
    KeyFileTampered,
    NotANotebook,
    StorageError,
    UserError,
    WrongPassphrase,
)
from counsellor_app.core.i18n import _
from counsellor_app.core.safefile import atomic_write_bytes

KEY_FILE_FORMAT = "counsellor-notebook-key"
KEY_FILE_VERSION = 2
DATA_KEY_BYTES = 32

#: How SQLCipher authenticates each page of the notebook. SQLCipher 4's default is
#: HMAC-SHA512; notebooks made since November 2026 use HMAC-SHA256 (same 256-bit key, a
#: standard SQLCipher setting), which CPUs with SHA extensions compute several times faster:
#: a durable note save went from 2.5 to 0.8 ms (plain SQLite: 0.65 ms). Only these two are
#: accepted, so an edited key file cannot turn page authentication off. A key file without
#: the field is from before the choice and means SHA-512.
PAGE_HMACS = ("HMAC_SHA256", "HMAC_SHA512")
NEW_PAGE_HMAC = "HMAC_SHA256"
LEGACY_PAGE_HMAC = "HMAC_SHA512"

#: The shortest passphrase a new notebook (or a new passphrase) may have, in the window and
#: on the command line; the window's hint asks for 12 or more, or four words.
MIN_PASSPHRASE_LENGTH = 8

PASSPHRASE_SLOT = "passphrase"
RECOVERY_SLOT = "recovery"

# Crockford's base32: no I, L, O, U, so a recovery key read aloud or from paper is unambiguous.
_RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECOVERY_GROUPS = 8  # 8 groups of 4 characters = 32 characters = 160 bits


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost; stored in the key file so it can be raised later."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": "argon2id",
            "time_cost": self.time_cost,
            "memory_kib": self.memory_kib,
            "parallelism": self.parallelism,
        }


#: The floor: no new key file costs less (RFC 9106's second recommended setting).
DEFAULT_KDF = KdfParams()
#: The ceiling: a key file asking more (an edited one) is refused before any derivation.
MAX_KDF = KdfParams(time_cost=20, memory_kib=1024 * 1024, parallelism=16)
#: How long deriving a new key file's key should take on this computer (KeePassXC: 1 s).
CALIBRATION_SECONDS = 0.5


def calibrated_kdf(target: float = CALIBRATION_SECONDS) -> KdfParams:
    """Argon2 costs that take about ``target`` seconds here: the floor's memory and lanes,
    with as many passes as fit (never fewer than the floor's, never more than the
    ceiling's). Measures one derivation at the floor."""
    start = time.perf_counter()
    _derive("calibration", bytes(16), DEFAULT_KDF)
    elapsed = max(time.perf_counter() - start, 1e-3)
    passes = int(DEFAULT_KDF.time_cost * target / elapsed)
    passes = max(DEFAULT_KDF.time_cost, min(MAX_KDF.time_cost, passes))
    return KdfParams(passes, DEFAULT_KDF.memory_kib, DEFAULT_KDF.parallelism)


def key_file_path(notebook_path: Path) -> Path:
    """Where the key file of ``notebook_path`` lives (beside it)."""
    return notebook_path.with_name(notebook_path.name + ".key")


def new_recovery_key() -> str:
    """A fresh recovery key, e.g. ``7K2M-QX9D-...`` (160 random bits)."""
    chars = [secrets.choice(_RECOVERY_ALPHABET) for _ in range(4 * _RECOVERY_GROUPS)]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, len(chars), 4))


def normalise_recovery_key(text: str) -> str:
    """Accept a recovery key as typed: any case, spaces or dashes, O for 0, I/L for 1."""
    table = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
    compact = "".join(ch for ch in text.upper() if ch.isalnum()).translate(table)
    return "-".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive(secret: str, salt: bytes, params: KdfParams) -> bytes:
    # Argon2 and AES-GCM load at the first unlock, not before the unlock window is shown.
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def _kdf_text(params: KdfParams) -> str:
    return f"argon2id:t={params.time_cost},m={params.memory_kib},p={params.parallelism}"


def _kdf_from_text(text: str) -> KdfParams:
    name, _sep, rest = text.partition(":")
    values = dict(item.split("=", 1) for item in rest.split(","))
    if name != "argon2id" or set(values) != {"t", "m", "p"}:
        raise ValueError("kdf")
    return KdfParams(int(values["t"]), int(values["m"]), int(values["p"]))


def _tampered() -> KeyFileTampered:
    return KeyFileTampered(
        _(
            "The notebook's key file has been altered: its settings are not ones this "
            "program writes. It was not used. Restore the key file from a backup."
        )
    )


def check_kdf_bounds(params: KdfParams) -> None:
    """Refuse (:class:`KeyFileTampered`) Argon2 costs no key file of this program has:
    above :data:`MAX_KDF` (an edited file must not make an unlock take minutes or
    gigabytes) or below what Argon2 accepts."""
    if not (
        1 <= params.time_cost <= MAX_KDF.time_cost
        and 1 <= params.parallelism <= MAX_KDF.parallelism
        and 8 * params.parallelism <= params.memory_kib <= MAX_KDF.memory_kib
    ):
        raise _tampered()


@dataclass
class KeyFile:
    """The parsed key file of one notebook.

    Version 1 wraps the data key under the passphrase and under the recovery key. Version
    2 (since December 2026) wraps it under the passphrase, and *seals* it (age, X25519) to
    a recovery public key whose private half is wrapped under the recovery key: so a
    passphrase change can give the notebook a new data key that the recovery key still
    opens, without knowing the recovery key. In version 2 each slot keeps its own Argon2
    costs, and the costs, the page authentication and the recovery public key are part
    of every slot's associated data; the file also carries a checksum of its fields.
    """

    notebook_id: str
    kdf: KdfParams
    slots: dict[str, dict[str, str]] = field(default_factory=dict)
    page_hmac: str = LEGACY_PAGE_HMAC
    version: int = 1
    #: Version 2: the age recipient the data key is sealed to, and the sealed data key.
    recipient: str = ""
    sealed: str = ""

    def _slot_kdf(self, slot: str) -> KdfParams:
        entry = self.slots.get(slot, {})
        if self.version >= 2:
            params = _kdf_from_text(entry["kdf"])
            check_kdf_bounds(params)
            return params
        return self.kdf

    def _aad(self, slot: str, params: KdfParams) -> bytes:
        # Binds each wrapped key to its notebook and slot, so slots cannot be swapped; in
        # version 2 also to the costs, the page authentication and the recovery recipient.
        if self.version < 2:
            return f"{KEY_FILE_FORMAT}/1/{self.notebook_id}/{slot}".encode()
        bound = {
            "format": KEY_FILE_FORMAT,
            "version": self.version,
            "notebook_id": self.notebook_id,
            "slot": slot,
            "kdf": _kdf_text(params),
            "page_hmac": self.page_hmac,
            "recipient": self.recipient,
        }
        return json.dumps(bound, sort_keys=True, separators=(",", ":")).encode()

    def _wrap_bytes(self, slot: str, secret: str, payload: bytes, params: KdfParams) -> None:
        salt = os.urandom(16)
        nonce = os.urandom(12)
        entry = {"salt": _b64(salt), "nonce": _b64(nonce)}
        if self.version >= 2:
            entry["kdf"] = _kdf_text(params)
        self.slots[slot] = entry
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        sealed = AESGCM(_derive(secret, salt, params)).encrypt(
            nonce, payload, self._aad(slot, params)
        )
        entry["wrapped"] = _b64(sealed)

    def wrap(self, slot: str, secret: str, data_key: bytes) -> None:
        """Store ``data_key`` encrypted under ``secret`` in ``slot`` (version 1's way, and
        version 2's passphrase slot)."""
        self._wrap_bytes(slot, secret, data_key, self.kdf)

    def _unwrap_bytes(self, slot: str, secret: str) -> bytes:
        entry = self.slots.get(slot)
        if entry is None:
            raise NotANotebook(_("The notebook's key file is incomplete."))
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            params = self._slot_kdf(slot)
            kek = _derive(secret, _unb64(entry["salt"]), params)
            return AESGCM(kek).decrypt(
                _unb64(entry["nonce"]), _unb64(entry["wrapped"]), self._aad(slot, params)
            )
        except InvalidTag:
            if slot == RECOVERY_SLOT:
                raise WrongPassphrase(
                    _("That recovery key does not open this notebook. Check it and try again.")
                ) from None
            raise WrongPassphrase(
                _("That passphrase does not open this notebook. Check it and try again.")
            ) from None
        except (KeyError, ValueError) as error:
            raise NotANotebook(_("The notebook's key file is damaged.")) from error

    def unwrap(self, slot: str, secret: str) -> bytes:
        """The data key, or :class:`WrongPassphrase` if ``secret`` does not open ``slot``."""
        payload = self._unwrap_bytes(slot, secret)
        if self.version >= 2 and slot == RECOVERY_SLOT:
            payload = self._open_sealed(payload)
        if len(payload) != DATA_KEY_BYTES:
            raise NotANotebook(_("The notebook's key file is damaged."))
        return payload

    def _open_sealed(self, identity: bytes) -> bytes:
        import pyrage

        try:
            secret = pyrage.x25519.Identity.from_str(identity.decode("ascii"))
            return bytes(pyrage.decrypt(_unb64(self.sealed), [secret]))
        except (pyrage.IdentityError, pyrage.DecryptError, ValueError) as error:
            raise NotANotebook(_("The notebook's key file is damaged.")) from error

    def seal(self, data_key: bytes) -> None:
        """Version 2: seal ``data_key`` to the recovery recipient (no secret needed)."""
        import pyrage

        self.sealed = _b64(
            pyrage.encrypt(data_key, [pyrage.x25519.Recipient.from_str(self.recipient)])
        )

    def set_recovery(self, recovery_key: str, data_key: bytes) -> None:
        """Version 2: a fresh recovery key pair, its private half wrapped under
        ``recovery_key``, and ``data_key`` sealed to it."""
        import pyrage

        identity = pyrage.x25519.Identity.generate()
        self.recipient = str(identity.to_public())
        self._wrap_bytes(
            RECOVERY_SLOT, normalise_recovery_key(recovery_key), str(identity).encode(), self.kdf
        )
        self.seal(data_key)

    def _fields(self) -> dict[str, Any]:
        if self.version < 2:
            return {
                "format": KEY_FILE_FORMAT,
                "version": 1,
                "notebook_id": self.notebook_id,
                "kdf": self.kdf.as_dict(),
                "page_hmac": self.page_hmac,
                "slots": self.slots,
            }
        return {
            "format": KEY_FILE_FORMAT,
            "version": self.version,
            "notebook_id": self.notebook_id,
            "page_hmac": self.page_hmac,
            "recipient": self.recipient,
            "sealed": self.sealed,
            "slots": self.slots,
        }

    def to_bytes(self) -> bytes:
        obj = self._fields()
        if self.version >= 2:
            obj["checksum"] = _checksum(obj)
        return json.dumps(obj, indent=2).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> KeyFile:
        try:
            obj = json.loads(data.decode("utf-8"))
            if obj.get("format") != KEY_FILE_FORMAT:
                raise ValueError("format")
            version = int(obj["version"])
            if version > KEY_FILE_VERSION or version < 1:
                raise ValueError("version")
            slots = {
                str(k): {str(a): str(b) for a, b in v.items()} for k, v in obj["slots"].items()
            }
            page_hmac = str(obj.get("page_hmac", LEGACY_PAGE_HMAC))
            if page_hmac not in PAGE_HMACS:
                raise ValueError("page_hmac")
            if version >= 2:
                fields = {key: value for key, value in obj.items() if key != "checksum"}
                if obj.get("checksum") != _checksum(fields):
                    raise _tampered()
                params = _kdf_from_text(slots[PASSPHRASE_SLOT]["kdf"])
                key_file = cls(
                    str(obj["notebook_id"]),
                    params,
                    slots,
                    page_hmac,
                    version,
                    str(obj["recipient"]),
                    str(obj["sealed"]),
                )
                for slot in slots:
                    key_file._slot_kdf(slot)  # bounds, before any derivation
                return key_file
            kdf = obj["kdf"]
            if kdf["name"] != "argon2id":
                raise ValueError("kdf")
            params = KdfParams(
                int(kdf["time_cost"]), int(kdf["memory_kib"]), int(kdf["parallelism"])
            )
            check_kdf_bounds(params)
            return cls(str(obj["notebook_id"]), params, slots, page_hmac)
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
            raise NotANotebook(
                _("The notebook's key file is damaged or belongs to another program.")
            ) from error

    @classmethod
    def read(cls, path: Path) -> KeyFile:
        """Read the key file of the notebook at ``path``."""
        return cls.read_file(key_file_path(path))

    @classmethod
    def read_file(cls, key_path: Path) -> KeyFile:
        """Read the key file at ``key_path`` itself."""
        try:
            data = key_path.read_bytes()
        except FileNotFoundError:
            raise NotANotebook(
                _(
                    "The key file {name} is missing beside the notebook. Without it the "
                    "notebook cannot be opened: restore it from where the notebook was "
                    "copied from or from a backup."
                ).format(name=key_path.name)
            ) from None
        except OSError as error:
            raise StorageError(
                _("The key file could not be read: {reason}").format(reason=error.strerror)
            ) from error
        return cls.from_bytes(data)

    def write(self, path: Path) -> None:
        """Replace the key file of the notebook at ``path`` atomically."""
        atomic_write_bytes(key_file_path(path), self.to_bytes())


def _checksum(fields: dict[str, Any]) -> str:
    # Not a secret: it tells an edited or damaged file from a wrong passphrase. The AEAD's
    # associated data is what protects the fields against a deliberate change.
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(canonical).hexdigest()


def short_passphrase_problem(passphrase: str) -> str:
    """Why ``passphrase`` cannot become a notebook's passphrase for its length ("" if it
    can): empty, or shorter than :data:`MIN_PASSPHRASE_LENGTH`."""
    if not passphrase:
        return _("The passphrase cannot be empty.")
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        return _("The passphrase is too short: it must have at least {n} characters.").format(
            n=MIN_PASSPHRASE_LENGTH
        )
    return ""


def new_key_file(
    notebook_id: str,
    passphrase: str,
    recovery_key: str,
    kdf: KdfParams = DEFAULT_KDF,
    page_hmac: str = NEW_PAGE_HMAC,
    data_key: bytes | None = None,
) -> tuple[KeyFile, bytes]:
    """A key file (version 2) wrapping ``data_key`` (a fresh one if None) under
    ``passphrase`` and ``recovery_key``; returns it and the data key."""
    data_key = data_key or secrets.token_bytes(DATA_KEY_BYTES)
    key_file = KeyFile(notebook_id, kdf, page_hmac=page_hmac, version=KEY_FILE_VERSION)
    # The recipient first: the passphrase slot's associated data holds it.
    key_file.set_recovery(recovery_key, data_key)
    key_file.wrap(PASSPHRASE_SLOT, passphrase, data_key)
    return key_file, data_key


def require_passphrase(passphrase: str) -> None:
    """Refuse an empty passphrase (:class:`UserError`)."""
    if not passphrase:
        raise UserError(_("The passphrase cannot be empty."))
