"""Identifiers with a shape: CPR and phone numbers, e-mail, links, user names, dates of
birth, case numbers, street addresses and postcodes.

Each detector is one precompiled regular expression (most of them led by a literal or a
digit, so that the regex engine skips ordinary text fast) plus a little validation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from counsellor_app.core.anonymity import kinds as k
from counsellor_app.core.anonymity.data import Lexicon, word_set
from counsellor_app.core.anonymity.kinds import Candidate, IdentifierKind

Kind = IdentifierKind
P = k.PRIORITY

# ---------------------------------------------------------------------------- CPR

# Every pattern starts with a plain character class (no look-behind, no alternation, no
# IGNORECASE before it), so that the regex engine can skip to candidate positions in C.
_CPR = re.compile(r"\d(?<![\w.,/+-]\d)\d{5}[ \t]?[-./ ]?[ \t]?\d{4}(?!\w|[.,/-]\d)", re.ASCII)
# The birth date written as a date ("13.04.76-1957", "13/04/76-1957").
_CPR_DATED = re.compile(
    r"\d(?<![\w.,/+-]\d)\d[./]\d\d[./]\d\d[ \t]?[-/][ \t]?\d{4}(?!\w|[.,/-]\d)", re.ASCII
)


def cpr_is_valid(day: int, month: int, year: int, seventh: int) -> bool:
    """Is this a real date under the CPR century rules of the 7th digit? (No modulus 11.)"""
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if year <= 36 else 1900
    else:  # 5-8
        century = 2000 if year <= 57 else 1800
    try:
        date(century + year, month, day)
    except ValueError:
        return False
    return True


def _cprs(text: str, lex: Lexicon, out: list[Candidate]) -> None:
    for m in (*_CPR.finditer(text), *_CPR_DATED.finditer(text)):
        digits = "".join(c for c in m.group() if c.isdigit())
        day, month, year = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
        if cpr_is_valid(day, month, year, int(digits[6])):
            out.append(Candidate(m.start(), m.end(), Kind.CPR, k.R_CPR, P[Kind.CPR]))


# ---------------------------------------------------------------------------- phones

_SEP = r"[ .\-]"
_PHONE_DK = re.compile(
    rf"""[+0-9](?<![\w+.,/-][+0-9])
    (?:
        (?:(?<=\+)|(?<=0)0)[ ]?45[ .\-]?\(?\d{{2}}\)?{_SEP}?\d{{2}}{_SEP}?\d{{2}}{_SEP}?\d{{2}}
      | (?<=[2-9])\d{{7}}
      | (?<=[2-9])\d{{3}}{_SEP}\d{{4}}
      | (?<=[2-9])\d({_SEP})\d\d\1\d\d\1\d\d
      | (?<=[2-9])\d\d{_SEP}\d\d{_SEP}\d{{3}}
    )
    (?!\w|[.,/-]\d)""",
    re.VERBOSE | re.ASCII,
)
_PHONE_INTL = re.compile(
    r"[+0](?<![\w+][+0])(?:(?<=\+)|(?<=0)0)(?!45)[1-9](?:[ .()\-]{0,2}\d){6,14}(?!\w)", re.ASCII
)


def _is_range(number: str) -> bool:
    """ "2023-2024", "2500-3000": a span of years or an amount, not a phone number."""
    halves = re.split(r"[-/]", number)
    if len(halves) != 2 or not all(len(h) == 4 and h.isdigit() for h in halves):
        return False
    first, second = int(halves[0]), int(halves[1])
    years = 1900 <= first <= 2099 and 1900 <= second <= 2099
    return years or first % 100 == 0 or second % 100 == 0


def _phones(text: str, lex: Lexicon, out: list[Candidate]) -> None:
    for m in _PHONE_DK.finditer(text):
        if not _is_range(m.group()):
            out.append(Candidate(m.start(), m.end(), Kind.PHONE, k.R_PHONE, P[Kind.PHONE]))
    if "+" in text or "00" in text:
        for m in _PHONE_INTL.finditer(text):
            number = m.group()
            digits = sum(c.isdigit() for c in number)
            if 8 <= digits <= 15:
                end = m.end()
                while text[end - 1] in " .()-":
                    end -= 1
                out.append(Candidate(m.start(), end, Kind.PHONE, k.R_PHONE, P[Kind.PHONE]))


# ---------------------------------------------------------------------------- e-mail, handles

_AT = re.compile("@")
_EMAIL_LOCAL = re.compile(r"(?<![\w.+-])[\w.+-]+\Z")
_EMAIL_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
_HANDLE = re.compile(r"@(?<![\w@.]@)(?=[\w.]*[^\W\d_])[\w.]{2,30}(?<!\.)")
_HANDLE_CUE_WORDS = (
    "snap", "snapchat", "insta", "instagram", "tiktok", "discord", "twitch", "roblox",
    "brugernavn", "brugernavnet", "username", "user name", "gamertag", "profilnavn", "profil",
)  # fmt: skip
_HANDLE_CUE_STEMS = ("snap", "insta", "tiktok", "discord", "twitch", "roblox", "brugernavn",
                     "username", "user name", "gamertag", "profil")  # fmt: skip
_COLON = re.compile("[:=]")
_HANDLE_CUE = re.compile(r"(?i)(?<!\w)(?:" + "|".join(_HANDLE_CUE_WORDS) + r")[ \t]*\Z")
_HANDLE_AFTER_CUE = re.compile(r"[ \t]*(@?[\w.\-]{2,30}(?<![.\-]))")
_UNDERSCORE_HANDLE = re.compile(r"(?<![\w@])[^\W_]+_[\w]*[^\W_](?!\w)")


def _emails_and_handles(text: str, lex: Lexicon, out: list[Candidate]) -> None:
    if "@" in text:
        for at in _AT.finditer(text):
            domain = _EMAIL_DOMAIN.match(text, at.start())
            if not domain:
                continue
            local = _EMAIL_LOCAL.search(text, max(0, at.start() - 80), at.start())
            if local:
                out.append(
                    Candidate(local.start(), domain.end(), Kind.EMAIL, k.R_EMAIL, P[Kind.EMAIL])
                )
        for m in _HANDLE.finditer(text):
            out.append(Candidate(m.start(), m.end(), Kind.HANDLE, k.R_HANDLE, P[Kind.HANDLE]))
    low = text.lower()
    cues = any(cue in low for cue in _HANDLE_CUE_STEMS)
    for colon in _COLON.finditer(text) if cues else ():
        pos = colon.start()
        if not _HANDLE_CUE.search(text, max(0, pos - 20), pos):
            continue
        after = _HANDLE_AFTER_CUE.match(text, pos + 1)
        if after:
            handle = after.group(1)
            if any(c.isdigit() or c in "_.@" for c in handle) or handle.lower() not in lex.words:
                out.append(
                    Candidate(after.start(1), after.end(1), Kind.HANDLE, k.R_HANDLE, P[Kind.HANDLE])
                )
    if "_" in text:
        for m in _UNDERSCORE_HANDLE.finditer(text):
            out.append(Candidate(m.start(), m.end(), Kind.HANDLE, k.R_HANDLE, P[Kind.HANDLE]))


# ---------------------------------------------------------------------------- links

_TLDS = (
    "dk|com|org|net|eu|se|no|de|uk|io|info|app|me|tv|gg|ly|co|fo|gl|is|fi|nl|be|fr|es|it|"
    "pl|tr|online|site|link|shop|biz"
)
_URL_SCHEME = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'\]\[]+")
_URL_TLD = re.compile(r"\.([A-Za-z]{2,6})(?![\w-])")
_TLD_SET = frozenset(_TLDS.split("|"))
#: Top-level domains that are also Danish or English words: only a link with "www." or a path.
_WORDY_TLDS = frozenset({"de", "se", "no", "it", "me", "is", "be", "co", "tv", "fo", "gl", "link"})
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzæøå0123456789-.")
_PATH = re.compile(r"(?:[/?#:][^\s<>\"'\]\[]*)?")
_TRAILING = ".,;:!?)]}'\"»”’"


def _host_allowed(host: str, lex: Lexicon) -> bool:
    host = host.lower()
    host = host.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    host = host.removeprefix("www.")
    return any(host == d or host.endswith("." + d) for d in lex.allowed_domains)


def _links(text: str, lex: Lexicon, out: list[Candidate]) -> None:
    spans: list[tuple[int, int]] = []
    if "://" in text or "www." in text.lower():
        for m in _URL_SCHEME.finditer(text):
            end = m.end()
            while end > m.start() and text[end - 1] in _TRAILING:
                end -= 1
            spans.append((m.start(), end))
    for m in _URL_TLD.finditer(text):
        tld = m.group(1)
        if tld.lower() not in _TLD_SET or not (tld.islower() or tld.isupper()):
            continue
        start = m.start()
        while start > 0 and text[start - 1].lower() in _HOST_CHARS:
            start -= 1
        if start == m.start() or text[start] in ".-":
            continue
        if start > 0 and text[start - 1] in "@":  # an e-mail address
            continue
        label = text[start : m.start()].rsplit(".", 1)[-1]
        if len(label) < 2 or label.isdigit():
            continue
        path = _PATH.match(text, m.end())
        stop = path.end() if path else m.end()
        while stop > m.end() and text[stop - 1] in _TRAILING:
            stop -= 1
        if tld.lower() in _WORDY_TLDS and stop == m.end() and "www." not in text[start:stop]:
            continue  # "sagde.de gik": a missing space, not a link
        spans.append((start, stop))
    for start, end in spans:
        if not _host_allowed(text[start:end], lex):
            out.append(Candidate(start, end, Kind.URL, k.R_URL, P[Kind.URL]))


# ---------------------------------------------------------------------------- dates of birth

_MONTHS = (
    "(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|"
    "january|february|march|may|june|july|october"
    "|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec)\\.?)"
)
_DATE = (
    r"(?i:\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}[ ]?[./-][ ]?\d{1,2}(?:[ ]?[./-][ ]?(?:\d{4}|\d{2}))?"
    rf"|\d{{1,2}}(?:\.|st|nd|rd|th)?[ ]*(?:of[ ]+)?{_MONTHS}(?:,?[ ]+(?:\d{{4}}|'\d{{2}}))?"
    rf"|{_MONTHS}[ ]+\d{{1,2}}(?:st|nd|rd|th)?(?:,?[ ]+\d{{4}})?)"
)
_BIRTH_DATE = re.compile(
    r"[FfBbDd](?<![^\W_][FfBbDd])(?i:"
    r"(?<=f)(?:ødt|\.|ødselsdato|ødselsdag|ødselsdagen|ødselsdagsdato|ylder[ ]+\d{1,2}(?:[ ]+år)?)"
    r"|(?<=b)(?:orn|irth[ ]?date|irthday)"
    r"|(?<=d)(?:ate[ ]+of[ ]+birth|ob|\.o\.b\.))"
    rf"[ \t]*[:.,]?[ \t]*(?i:(?:den|d\.|on|the|er)[ \t]+)?(?P<date>{_DATE})(?![\w])"
)


_BIRTH_GATE = ("født", "fødsel", "fylder", "born", "birth", "dob", "d.o.b")
_F_DOT_DATE = re.compile(r"[Ff]\.[ ]?\d")  # "f. 3.3.14", not "f.eks."


def _birth_dates(text: str, lex: Lexicon, out: list[Candidate]) -> None:
    low = text.lower()
    if not any(cue in low for cue in _BIRTH_GATE) and not _F_DOT_DATE.search(text):
        return
    for m in _BIRTH_DATE.finditer(text):
        out.append(Candidate(m.start("date"), m.end("date"), Kind.DATE, k.R_DATE, P[Kind.DATE]))


# ---------------------------------------------------------------------------- exact dates

#: An exact date in any note ("den 27/11-2023", "siden 20.03.2024", "den 23. september"):
#: it ties the note to an event others can recognise. Numeric dates need a year, or "den"
#: / "d." before them, so that fractions and scores ("1/2 time", "3-1") are left alone.
_EXACT_DATE = re.compile(
    r"(?<![\w./-])(?:"
    r"(?:19|20)\d{2}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])[./-](?:0?[1-9]|1[0-2])[./-](?:(?:19|20)\d{2}|\d{2})"
    rf"|(?:0?[1-9]|[12]\d|3[01])\.?[ ]?(?i:{_MONTHS})(?![\w])(?:[ ]+(?:19|20)\d{{2}})?"
    r")(?![\w/-]|\.\d)"
    r"|(?<=den )(?<![\w])(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])(?![\w/.-])"
)


#: Every form above needs an ASCII digit; one search in C rather than a Python loop over
#: the characters (most exported texts have no digit at all).
_ANY_DIGIT = re.compile(r"[0-9]")


def _exact_dates(text: str, lex: Lexicon, out: list[Candidate]) -> None:
    if not _ANY_DIGIT.search(text):
        return
    for m in _EXACT_DATE.finditer(text):
        out.append(Candidate(m.start(), m.end(), Kind.DATE, k.R_EXACT_DATE, P[Kind.DATE]))


# ---------------------------------------------------------------------------- case numbers

#: A year and a serial number ("sag 2024-49796"), the way Danish case systems number cases.
_YEAR_SERIAL = re.compile(r"(?<![\w./-])(?:19|20)\d{2}-\d{5,7}(?![\w/-]|\.\d)")

_CASE = re.compile(
    r"[SsJjRrCcFf](?<![^\W_][SsJjRrCcFf])(?i:"
    r"(?<=s)(?:ags?(?:nummer|nr|[ .\-]nr)|agsnummeret)"
    r"|(?<=j)(?:(?:ournal)?[ .\-]?(?:nummer|nr)|ournalnummeret|r)"
    r"|(?<=r)(?:ef(?:erence)?(?:[ .\-]?(?:nummer|nr|no))?)"
    r"|(?<=c)(?:ase[ ]+(?:no|number|ref)|pr-?nr)"
    r"|(?<=f)(?:ile[ ]+(?:no|number)))\.?[ \t]*(?:[:#][ \t]*)?(?:(?:nr|no)\.?[ \t]*)?"
    r"(?P<id>(?=[\w./\-]*\d)[^\W_][\w./\-]*[^\W_]|\d)"
)


_CASE_GATE = ("nr", "nummer", "ref", "case", "file", "jr")


def _case_numbers(text: str, lex: Lexicon, out: list[Candidate]) -> None:
    for m in _YEAR_SERIAL.finditer(text):
        out.append(
            Candidate(m.start(), m.end(), Kind.CASE_NUMBER, k.R_CASE_NUMBER, P[Kind.CASE_NUMBER])
        )
    low = text.lower()
    if not any(cue in low for cue in _CASE_GATE):
        return
    for m in _CASE.finditer(text):
        out.append(
            Candidate(
                m.start("id"), m.end("id"), Kind.CASE_NUMBER, k.R_CASE_NUMBER, P[Kind.CASE_NUMBER]
            )
        )


# ---------------------------------------------------------------------------- addresses

#: Street-name endings that make a word a street, capitalised or not.
STRONG_STREET_SUFFIXES = (
    "vej", "vejen", "gade", "gaden", "allé", "alle", "alléen", "stræde", "strædet",
    "boulevard", "boulevarden", "plads", "pladsen", "torv", "torvet", "vænge", "vænget",
)  # fmt: skip
#: Endings that make a *capitalised* word (that is no dictionary word) a street.
WEAK_STREET_SUFFIXES = (
    "park", "parken", "have", "haven", "høj", "højen", "bakke", "bakken", "toften", "tofte",
    "lund", "lunden", "vang", "vangen", "engen", "ager", "ageren", "sti", "stien", "kær",
    "kæret", "dal", "dalen", "bjerg", "bjerget", "holm", "hegn", "hegnet", "skoven", "gård",
    "gården", "marken", "ringen", "løkke", "løkken", "stykket", "bro", "broen", "kvarter",
    "kvarteret", "hus", "huse", "byen", "brink", "brinken", "mose", "mosen", "eng", "krogen",
)  # fmt: skip
#: Street words written apart: "Jens Baggesens Vej", "Baker Street".
STREET_WORDS = word_set(
    """
    vej gade allé alle stræde boulevard plads torv vænge park have bakke sti street road
    avenue lane drive close court place way crescent terrace square
    """
)
_HOUSE_NUMBER = re.compile(
    r"\d(?<=[^\W\d_][ \t]\d)\d{0,3}(?:[ ]?[A-Za-z](?![^\W_]))?(?![\d\w]|[.,]\d)"
)
_FLOOR = re.compile(
    r"(?i),?[ \t]*(?:(?:st|stuen|kl|kld|\d{1,2})\.?[ \t]*(?:th|tv|mf|sal)\b\.?|st\b\.?|kld\b\.?)"
)
_EN_ADDRESS = re.compile(
    r"\d(?<![\w.,]\d)\d{0,4}[A-Za-z]?[ \t]+(?:[A-Z][\w'’\-]*[ \t]+){1,3}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Close|Court|Place|Way|Crescent|Terrace|"
    r"Gardens|Square|Boulevard|Blvd)\b\.?"
)
_FUNCTION_CAPS = word_set(
    """
    i på til fra ved med og eller men hun han de den det en et min din hans hendes deres
    vores jeres sin sit sine mor far bor boede flyttet flytter adresse adressen in on at to
    from and or the a an my his her their our lives lived
    """
)


def prev_word(text: str, pos: int) -> tuple[str, int, str]:
    """The word before ``pos`` on the same line: (word, its start, the gap up to pos).

    The gap is at most four characters of spaces, tabs, dots and commas ("hr. Jensen").
    """
    j = pos
    limit = max(0, pos - 4)
    while j > limit and text[j - 1] in " \t.,":
        j -= 1
    end = j
    limit = max(0, end - 40)
    while j > limit and (text[j - 1].isalnum() or text[j - 1] in "-'’."):
        j -= 1
    while j < end and not text[j].isalnum():
        j += 1
    return text[j:end], j, text[end:pos]


def _street_start(text: str, end: int, lex: Lexicon, has_floor: bool) -> int | None:
    """Where the street name that ends at ``end`` starts, or None if it is no street."""
    word, start, gap = prev_word(text, end)
    if not word or gap.strip(" \t"):
        return None
    word = word.rstrip(".")
    low = word.lower()
    capitalised = word[:1].isupper()
    if low in STREET_WORDS and capitalised:
        street, need_more = True, True
    elif (
        low.endswith(STRONG_STREET_SUFFIXES)
        and len(low) >= 6
        and (capitalised or low not in lex.words)
    ) or (
        capitalised
        and low not in lex.words
        and (low.endswith(WEAK_STREET_SUFFIXES) or (has_floor and word not in lex.names))
    ):
        street, need_more = True, False
    else:
        street, need_more = False, False
    if not street:
        return None
    # Take in the capitalised words before it: "Gammel Kongevej", "H.C. Andersens Boulevard".
    taken = 0
    while taken < 3:
        prev, prev_start, gap = prev_word(text, start)
        if gap not in (" ", ". ") or not prev[:1].isupper():
            break
        if prev.lower().rstrip(".") in _FUNCTION_CAPS:
            break
        start = prev_start
        taken += 1
    if need_more and taken == 0:
        return None
    return start


def _addresses(text: str, lex: Lexicon, out: list[Candidate]) -> None:
    for m in _HOUSE_NUMBER.finditer(text):
        # Cheap filter first: a street name is capitalised or has a street ending.
        space = m.start() - 1
        lower_bound = max(0, space - 40)
        word_start = max(text.rfind(" ", lower_bound, space), text.rfind("\n", lower_bound, space))
        word_start = word_start + 1 if word_start >= 0 else lower_bound
        word = text[word_start:space].rstrip(".").lstrip("(\"'«“„[")
        if not word[:1].isupper() and not word.lower().endswith(STRONG_STREET_SUFFIXES):
            continue
        floor = _FLOOR.match(text, m.end())
        start = _street_start(text, space, lex, floor is not None)
        if start is None:
            continue
        end = floor.end() if floor else m.end()
        out.append(Candidate(start, end, Kind.ADDRESS, k.R_ADDRESS, P[Kind.ADDRESS]))
    for m in _EN_ADDRESS.finditer(text):
        out.append(Candidate(m.start(), m.end(), Kind.ADDRESS, k.R_ADDRESS, P[Kind.ADDRESS]))


_POSTCODE = re.compile(
    r"[1-9](?<![\w.,/+][1-9])\d{3}[ \t]+([^\W\d_][^\W\d_]*(?:-[^\W\d_]+)?)"
    r"(?:[ ]+(?:C|K|N|S|V|Ø|J|NV|NØ|SV|SØ)(?![\w]))?"
)


def _postcodes(text: str, lex: Lexicon, out: list[Candidate]) -> None:
    for m in _POSTCODE.finditer(text):
        town = m.group(1)
        if not town[:1].isupper():
            continue
        low = town.lower()
        end = m.end()
        phrases = lex.town_phrases.get(low)
        if phrases:
            following = text[m.start(1) : m.start(1) + 40].lower()
            for phrase in phrases:
                if (
                    following.startswith(phrase)
                    and not following[len(phrase) : len(phrase) + 1].isalnum()
                ):
                    end = max(end, m.start(1) + len(phrase))
                    break
        known = town in lex.towns or low in lex.lower_towns
        unknown = low not in lex.words and town not in lex.names and low not in lex.allowed
        if known or unknown:
            out.append(
                Candidate(
                    m.start(), end, Kind.POSTCODE_TOWN, k.R_POSTCODE_TOWN, P[Kind.POSTCODE_TOWN]
                )
            )


Detector = Callable[[str, Lexicon, list[Candidate]], None]

DETECTORS: tuple[Detector, ...] = (
    _cprs,
    _phones,
    _emails_and_handles,
    _links,
    _birth_dates,
    _exact_dates,
    _case_numbers,
    _addresses,
    _postcodes,
)


def find_patterns(text: str, lex: Lexicon) -> list[Candidate]:
    """All shaped identifiers in ``text`` (they may overlap; the engine resolves that)."""
    out: list[Candidate] = []
    for detector in DETECTORS:
        detector(text, lex, out)
    return out
