"""Typed errors of the core.

:class:`UserError` and its subclasses are problems a user can cause or meet (a wrong
passphrase, a foreign file, a full disk): their message is a plain sentence in the user's
language saying what happened and what to do, shown as it is. Anything else is a bug and
goes to the log (without note contents).
"""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """A problem the user can act on; ``str(error)`` is the translated sentence to show."""


class WrongPassphrase(UserError):
    """The passphrase (or recovery key) does not open this notebook."""


class NotANotebook(UserError):
    """The file is not a Counsellor's Notebook, or its key file is missing."""

    #: The newest backup of the notebook that opens and verifies, where there is one
    #: (the sentence names it too): offered to restore.
    backup: Path | None = None


class NotebookDamaged(UserError):
    """The file looks like a notebook but cannot be read; nothing was written to it."""

    #: The newest backup of the notebook that opens and verifies, where there is one
    #: (the sentence names it too): offered to restore.
    backup: Path | None = None


class NotebookTooNew(UserError):
    """The notebook was made by a newer version of the app."""


class NotebookInUse(UserError):
    """Another window or program has the notebook open."""


class NotebookExists(UserError):
    """Refused to create a notebook over an existing file."""


class EncryptionNotInEffect(UserError):
    """SQLCipher is not active: refuse rather than write anything in clear."""


class StorageError(UserError):
    """The disk refused a write (full, read-only, removed)."""


class BackupError(UserError):
    """A backup could not be written or does not verify."""


class KeyFileTampered(NotANotebook):
    """The key file has fields this program never writes (costs out of bounds, a checksum
    that does not match): edited or damaged, not a wrong passphrase."""
