"""Words a counsellor marked "not an identifier" in one notebook (kept inside it, so
encrypted with it): the anonymity guard stops underlining them in that notebook's notes,
and the gate lets them leave as written (:class:`counsellor_app.core.gate.Gate`'s
``kept``): the counsellor's own decision, which the export previews show as such, in a
colour of their own. Only words the engine took for a name, a place or an institution
(:data:`counsellor_app.core.gate.KEEPABLE`); a number, an address or an e-mail is never
kept. A word is forgotten again from the window's list of kept words.
"""

from __future__ import annotations

import json

from counsellor_app.core.errors import UserError
from counsellor_app.core.gate import kept_form
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
    plain = kept_form(word)
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
    kept = kept_words(notebook) - {kept_form(word)}
    notebook.set_meta(META_KEY, json.dumps(sorted(kept), ensure_ascii=False))
    return kept
