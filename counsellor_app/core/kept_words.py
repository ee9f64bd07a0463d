"""Words a counsellor marked "not an identifier" in one notebook (kept inside it, so
encrypted with it): the anonymity guard stops underlining them in that notebook's notes.

Only the underline: every export still passes the gate, which replaces them as before,
since no export preview shows them yet as the counsellor's own decision.
"""

from __future__ import annotations

import json

from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook, guarded

META_KEY = "kept_words"
#: A word longer than this is no word a counsellor marks by hand.
MAX_WORD = 64
#: Enough for the software words and local terms of one notebook.
MAX_WORDS = 500


@guarded
def kept_words(notebook: Notebook) -> frozenset[str]:
    """The words (case-folded) marked "not an identifier" in ``notebook``."""
    raw = notebook.meta(META_KEY)
    if not raw:
        return frozenset()
    try:
        words = json.loads(raw)
    except ValueError:
        return frozenset()
    return (
        frozenset(w for w in words if isinstance(w, str))
        if isinstance(words, list)
        else frozenset()
    )


@guarded
def keep_word(notebook: Notebook, word: str) -> frozenset[str]:
    """Mark ``word`` "not an identifier" in ``notebook``; the words marked now."""
    plain = " ".join(word.split()).casefold()
    if not plain or len(plain) > MAX_WORD:
        raise UserError(_("Only a word can be marked as no identifier."))
    words = kept_words(notebook)
    if plain in words:
        return words
    if len(words) >= MAX_WORDS:
        raise UserError(
            _("This notebook already keeps {n} words as no identifier, the most it keeps.").format(
                n=MAX_WORDS
            )
        )
    kept = words | {plain}
    notebook.set_meta(META_KEY, json.dumps(sorted(kept), ensure_ascii=False))
    return kept


@guarded
def forget_word(notebook: Notebook, word: str) -> frozenset[str]:
    """Underline ``word`` again in ``notebook``; the words marked now."""
    kept = kept_words(notebook) - {" ".join(word.split()).casefold()}
    notebook.set_meta(META_KEY, json.dumps(sorted(kept), ensure_ascii=False))
    return kept
