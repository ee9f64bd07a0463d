"""De-identified, encrypted summary bundles from a counsellor to a supervisor or mentor.

The counsellor's side::

    preview_export(notebook, since=None, *, recipient=None) -> ExportPreview
    export_bundle(notebook, recipient, out_path, since=None, *, preview=None) -> ExportResult
    load_recipient(key_file_or_key) -> Recipient

The receiving notebook's key pair::

    ensure_key_pair(notebook) -> str          # "age1...", made once, kept in the notebook
    public_key(notebook) -> str | None
    write_public_key_file(key, path)

The import and the dashboard are in :mod:`counsellor_app.core.supervision` and
:mod:`counsellor_app.core.dashboard`; the format in ``format.py`` and
``docs/exchange-format.md``.
"""

from counsellor_app.core.exchange.common import load_recipient
from counsellor_app.core.exchange.crypto import (
    PUBLIC_KEY_SUFFIX,
    ensure_key_pair,
    parse_recipient,
    public_key,
    write_public_key_file,
)
from counsellor_app.core.exchange.errors import (
    BundleAltered,
    BundleError,
    BundleInvalid,
    BundleNotTrusted,
    BundleTooNew,
    BundleUnreadable,
    BundleWrongKey,
    ExchangeError,
    InvalidPublicKey,
    NoKeyPair,
    NotABundle,
    NothingToExport,
)
from counsellor_app.core.exchange.export import (
    ExportPreview,
    ExportResult,
    PreviewText,
    counsellor_id,
    export_bundle,
    kind_label,
    last_export,
    own_key_card,
    preview_export,
    replacements_text,
)
from counsellor_app.core.exchange.format import (
    BUNDLE_SUFFIX,
    FORMAT_NAME,
    FORMAT_VERSION,
    Bundle,
    BundleAlliance,
    BundleCase,
    BundleConcern,
    BundleConversation,
    BundleFollowUp,
    BundleHeader,
    FollowUpOutcome,
)
from counsellor_app.core.gate import Replacement

__all__ = [
    "BUNDLE_SUFFIX",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "PUBLIC_KEY_SUFFIX",
    "Bundle",
    "BundleAlliance",
    "BundleAltered",
    "BundleCase",
    "BundleConcern",
    "BundleConversation",
    "BundleError",
    "BundleFollowUp",
    "BundleHeader",
    "BundleInvalid",
    "BundleNotTrusted",
    "BundleTooNew",
    "BundleUnreadable",
    "BundleWrongKey",
    "ExchangeError",
    "ExportPreview",
    "ExportResult",
    "FollowUpOutcome",
    "InvalidPublicKey",
    "NoKeyPair",
    "NotABundle",
    "NothingToExport",
    "PreviewText",
    "Replacement",
    "counsellor_id",
    "ensure_key_pair",
    "export_bundle",
    "kind_label",
    "last_export",
    "load_recipient",
    "own_key_card",
    "parse_recipient",
    "preview_export",
    "public_key",
    "replacements_text",
    "write_public_key_file",
]
