"""Translation for the whole application, without Qt.

Message ids are English; Danish is the primary language and always complete
(``tests/unit/test_i18n.py`` fails when a Danish string is missing). Catalogs live in
``i18n/<lang>/LC_MESSAGES/messages.po`` at the top of the source tree and are compiled to
``.mo`` with ``python scripts/i18n.py compile``; :func:`counsellor_app.core.paths.catalog_dir`
finds them in every mode.
"""

from __future__ import annotations

import gettext

from counsellor_app.core.paths import catalog_dir

DOMAIN = "messages"
LOCALE_DIR = catalog_dir()
LANGUAGES: tuple[str, ...] = ("da", "en")
DEFAULT_LANGUAGE = "da"

_language = DEFAULT_LANGUAGE
_translations: gettext.NullTranslations = gettext.NullTranslations()


def set_language(language: str) -> None:
    """Switch every later call of :func:`_` to ``language`` ("da" or "en")."""
    global _language, _translations
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    _language = language
    _translations = gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True
    )


def current_language() -> str:
    """The language code in force ("da" or "en")."""
    return _language


#: The locale whose conventions dates and numbers follow, per language: English in the
#: day-month-year order of the date fields (en_GB: "6 Dec 2026", "06/12/2026"), not the
#: American month first ("Dec 6, 2026") beside a field that reads "06/12/2026".
_FORMAT_LOCALES = {"da": "da_DK", "en": "en_GB"}


def format_locale() -> str:
    """The babel/Qt locale name for dates and numbers in the current language."""
    return _FORMAT_LOCALES.get(_language, _language)


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count."""
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (for tables of labels)."""
    return message


set_language(DEFAULT_LANGUAGE)
