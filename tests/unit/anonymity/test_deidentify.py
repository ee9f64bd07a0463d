"""The de-identification engine: what it must flag, what it must keep, and its shape."""

from __future__ import annotations

import itertools

import pytest

from counsellor_app.core import i18n
from counsellor_app.core.anonymity import (
    Deidentified,
    Finding,
    IdentifierKind,
    deidentify,
    find_identifiers,
    placeholder,
)
from counsellor_app.core.anonymity.patterns import cpr_is_valid

from .corpus import CLEAN_NOTES, PLANTED_NOTE

K = IdentifierKind


def flagged(text: str) -> list[tuple[str, IdentifierKind]]:
    return [(text[f.start : f.end], f.kind) for f in find_identifiers(text)]


def assert_flags(text: str, expected: str, kind: IdentifierKind) -> None:
    found = flagged(text)
    assert (expected, kind) in found, f"{expected!r} ({kind}) not in {found}"


# --------------------------------------------------------------------------- nothing flagged


@pytest.mark.parametrize("note", CLEAN_NOTES, ids=[f"note{i}" for i in range(len(CLEAN_NOTES))])
def test_realistic_notes_flag_nothing(note: str) -> None:
    assert flagged(note) == []


@pytest.mark.parametrize(
    "text",
    [
        "PPR, Børns Vilkår, Headspace, Familieretshuset, Børnetelefonen, Aula, SFO, BUP.",
        "Sundhedsplejen og Forældretelefonen. Skolen har ringet. Hun ringede til skolen.",
        "Mor har talt med kommunen og psykiatrien. Kommunen har ikke svaret.",
        "Mødet er mandag i næste uge. I januar og februar gik det bedre. Fredag er svær.",
        "Han går i skole på onsdag. Vi talte om jul, påske og sommerferien.",
        "Vi gik en tur på marken. Han skal bo hos sin far. Solen skinnede. Stormen var slem.",
        "Hans mor er bekymret, og hans far arbejder meget.",
        "Mark og skov er hendes frirum. Sol og frisk luft hjælper.",
        "Mor kender Red Barnet, Det Sociale Netværk og Mary Fonden.",
        "Han spiller Minecraft og er på Instagram, Snapchat og TikTok.",
        "Hun har fået diagnosen ADHD, og familien bor i Jylland.",
        "Familien kommer fra Syrien og har boet i Danmark i fem år.",
        "Region Midtjylland har ansvaret for BUP.",
        "Skoleåret 2023-2024. Det koster 2500-3000 kr. Kl. 14.30. Uge 42.",
        "Vi ses kl. 10 på torsdag. Han har 7.b og fraværet er 25 %.",
        "Se mere på borger.dk og sundhed.dk eller bornsvilkar.dk.",
        "Folkeskolen, specialskolen, heldagsskolen, efterskolen og gymnasiet.",
        "Fritidsklubben og Ungdomsklubben har lukket. Sygehuset ringede.",
        "Skolevægringen er blevet værre. Mistrivslen fylder. Selvskaden er stoppet.",
        "Mother called on Monday in March about her son's school in August.",
        "Hun har talt med Skolen og Kommunen, og Psykiatrien har svaret.",
        "Hun tager Sertralin og Melatonin. Naboskolen har en god SFO.",
        "Hun sagde.De gik hjem. Han sagde til sin mand.de kom for sent. Se.Dk",
        "I think it is hard. She said I should call the school nurse.",
    ],
)
def test_ordinary_text_is_kept(text: str) -> None:
    assert flagged(text) == []


# --------------------------------------------------------------------------- planted identifiers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cpr 030314-1234 blev nævnt.", "030314-1234"),
        ("cpr: 0303141234", "0303141234"),
        ("CPR 030314 1234", "030314 1234"),
        ("cpr 030314.1234", "030314.1234"),
        ("cpr 030314/1234", "030314/1234"),
        ("nummeret 290200-4321 (skudår)", "290200-4321"),
        ("født 1899: 010199-5678", "010199-5678"),
    ],
)
def test_cpr_numbers_in_every_form(text: str, expected: str) -> None:
    assert_flags(text, expected, K.CPR)


@pytest.mark.parametrize(
    "text",
    ["310214-1234", "290201-1234", "320114-1234", "011314-1234", "000014-1234"],
)
def test_cpr_needs_a_real_date(text: str) -> None:
    assert (text, K.CPR) not in flagged(f"nummer {text} her")


def test_cpr_century_rules() -> None:
    assert cpr_is_valid(29, 2, 0, 4)  # 7th digit 4, year 00 -> 2000, a leap year
    assert not cpr_is_valid(29, 2, 0, 2)  # 7th digit 0-3 -> 1900, not a leap year
    assert cpr_is_valid(29, 2, 0, 5)  # 5-8 with year <= 57 -> 2000
    assert cpr_is_valid(29, 2, 0, 9)  # 9 with year <= 36 -> 2000 (leap)
    assert cpr_is_valid(1, 1, 99, 9)  # 9 with year >= 37 -> 1999
    assert not cpr_is_valid(29, 2, 59, 6)  # 5-8 with year >= 58 -> 1859, no leap year
    assert cpr_is_valid(29, 2, 60, 6)  # 1860 is a leap year
    assert cpr_is_valid(1, 1, 37, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ring på 20304050 i morgen", "20304050"),
        ("tlf. 2030 4050", "2030 4050"),
        ("tlf. 2030-4050", "2030-4050"),
        ("mobil 20 30 40 50.", "20 30 40 50"),
        ("mobil 20-30-40-50", "20-30-40-50"),
        ("mobil 20.30.40.50", "20.30.40.50"),
        ("ring +45 20 30 40 50", "+45 20 30 40 50"),
        ("ring +4520304050", "+4520304050"),
        ("ring 0045 2030 4050", "0045 2030 4050"),
        ("svensk nummer +46 70 123 45 67", "+46 70 123 45 67"),
        ("call +44 20 7946 0958 today", "+44 20 7946 0958"),
    ],
)
def test_phone_numbers(text: str, expected: str) -> None:
    assert_flags(text, expected, K.PHONE)


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        ("skriv til mette.jensen@gmail.com i dag", "mette.jensen@gmail.com", K.EMAIL),
        ("mail: ole_hansen+skole@skole.aarhus.dk.", "ole_hansen+skole@skole.aarhus.dk", K.EMAIL),
        (
            "se https://www.facebook.com/oliver.j123 nu",
            "https://www.facebook.com/oliver.j123",
            K.URL,
        ),
        ("bloggen www.minfamilie.dk/om-os.", "www.minfamilie.dk/om-os", K.URL),
        ("profilen minfamilie.dk", "minfamilie.dk", K.URL),
        ("se www.familien.de eller familien.de/blog", "www.familien.de", K.URL),
        ("se www.familien.de eller familien.de/blog", "familien.de/blog", K.URL),
        ("hun følger @lillemy_2010 på insta", "@lillemy_2010", K.HANDLE),
        ("snap: gamerdude99", "gamerdude99", K.HANDLE),
        ("brugernavn: xXoliverXx", "xXoliverXx", K.HANDLE),
        ("hans gamertag er dark_knight_07", "dark_knight_07", K.HANDLE),
    ],
)
def test_contact_details(text: str, expected: str, kind: IdentifierKind) -> None:
    assert_flags(text, expected, kind)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("De bor på Vestergade 12, 3. th. nu.", "Vestergade 12, 3. th."),
        ("adresse: Nørrebrogade 144 st. tv.", "Nørrebrogade 144 st. tv."),
        ("bor på Skovvej 3B", "Skovvej 3B"),
        ("på Strandparken 4, 2.tv", "Strandparken 4, 2.tv"),
        ("bor på Jens Baggesens Vej 12 med mor", "Jens Baggesens Vej 12"),
        ("i H.C. Andersens Boulevard 27", "H.C. Andersens Boulevard 27"),
        ("bor på Gammel Kongevej 10, 1. sal", "Gammel Kongevej 10, 1. sal"),
        ("bor på Rosenhaven 7", "Rosenhaven 7"),
        ("flyttet til vestergade 3", "vestergade 3"),
        ("han bor på Nørrebrogade hos faren", "Nørrebrogade"),
        ("they live at 12 Baker Street now", "12 Baker Street"),
    ],
)
def test_addresses(text: str, expected: str) -> None:
    assert_flags(text, expected, K.ADDRESS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vestergade 12, 8000 Aarhus C.", "8000 Aarhus C"),
        ("2100 København Ø", "2100 København Ø"),
        ("post til 5000 Odense C i dag", "5000 Odense C"),
        ("4800 Nykøbing Falster", "4800 Nykøbing Falster"),
        ("bor i 9900 Frederikshavn", "9900 Frederikshavn"),
        ("DK-7100 Vejle", "7100 Vejle"),
    ],
)
def test_postcode_and_town(text: str, expected: str) -> None:
    assert_flags(text, expected, K.POSTCODE_TOWN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mor ringer om sin søn Oliver.", "Oliver"),
        ("Vi talte om at lærer Hanne er sød.", "Hanne"),
        ("sagsbehandleren Birgit har ringet", "Birgit"),
        ("min søn Oliver er 13", "Oliver"),
        ("pædagogen Lise siger", "Lise"),
        ("Hun taler med lærer Bo i morgen.", "Bo"),
        ("min søn Storm er ked af det", "Storm"),
        ("Hendes datter Sol går i 3. klasse.", "Sol"),
        ("hr. Jensen fra skolen", "Jensen"),
        ("Hun taler med Anne-Sofie om det.", "Anne-Sofie"),
        ("Han leger med Mohammed og Zainab.", "Mohammed"),
        ("Han leger med Mohammed og Zainab.", "Zainab"),
        ("Far til Oliver Jensen ringer.", "Oliver Jensen"),
        ("Oliver har det svært i skolen.", "Oliver"),
        ("Mark har svært ved at sove.", "Mark"),
        ("Hans er 12 år og går i 6. klasse.", "Hans"),
        ("Mark Jensen ringer igen.", "Mark Jensen"),
        ("I går kom Bo hjem fra skole.", "Bo"),
        ("Han var sammen med Kim.", "Kim"),
        ("Det var Bent, der ringede.", "Bent"),
        ("min søn oliver vil ikke i skole", "oliver"),
        ("hun hedder sofie", "sofie"),
        ("Pigen hedder Lykke.", "Lykke"),
        ("Han er venner med Xylander fra klassen.", "Xylander"),
        ("My son Jack is 12.", "Jack"),
        ("The teacher, Mrs Thompson, called.", "Thompson"),
        ("Lærer Hanne ringede i går.", "Hanne"),
        ("Mor ringede. Fru Hansen også.", "Hansen"),
        ("Børn: Oliver (13), Ida (9).", "Ida"),
        ("Familien Hansen har det svært.", "Hansen"),
        ("Aksel og Villads slås hele tiden.", "Aksel"),
        ("min søn yazan er 9 år", "yazan"),
        ("Yazan går i 5. klasse.", "Yazan"),
        ("Min søn August er 10.", "August"),
        ("August is my son.", "August"),
    ],
)
def test_names(text: str, expected: str) -> None:
    assert_flags(text, expected, K.NAME)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ahmeds far ringer.", "Ahmed"),
        ("Det er Jensens datter.", "Jensen"),
        ("Hun er Anne-Sofies mor.", "Anne-Sofie"),
    ],
)
def test_possessive_names_keep_the_s(text: str, expected: str) -> None:
    assert_flags(text, expected, K.NAME)
    assert "[navn]s" in deidentify(text).text


@pytest.mark.parametrize(
    ("text", "expected", "replacement"),
    [
        ("Han går på Vestervang Skole i 7. klasse.", "Vestervang Skole", "[skole]"),
        ("Hun går i Børnehaven Solsikken.", "Børnehaven Solsikken", "[daginstitution]"),
        ("hun går i børnehaven Mælkebøtten", "børnehaven Mælkebøtten", "[daginstitution]"),
        ("Han går på Nørre Gymnasium.", "Nørre Gymnasium", "[gymnasium]"),
        ("Hun var indlagt på Rigshospitalet.", "Rigshospitalet", "[hospital]"),
        ("Han skal på Skovbo Efterskole.", "Skovbo Efterskole", "[efterskole]"),
        ("Hun går på Vestervangskolen.", "Vestervangskolen", "[skole]"),
        ("Han var på Hvidovre Hospital.", "Hvidovre Hospital", "[hospital]"),
        ("Hun går på Riverside School.", "Riverside School", "[skole]"),
    ],
)
def test_institutions(text: str, expected: str, replacement: str) -> None:
    assert_flags(text, expected, K.INSTITUTION)
    assert replacement in deidentify(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Familien bor i Vejle.", "Vejle"),
        ("De er flyttet fra Nørrebro til Valby.", "Nørrebro"),
        ("De er flyttet fra Nørrebro til Valby.", "Valby"),
        ("Han bor i Store Heddinge.", "Store Heddinge"),
        ("Aarhus er en stor by.", "Aarhus"),
        ("de bor i aarhus", "aarhus"),
        ("De bor i Vejen.", "Vejen"),
        ("Hun bor i Viby J med sin far.", "Viby J"),
    ],
)
def test_places(text: str, expected: str) -> None:
    assert_flags(text, expected, K.PLACE)


def test_a_name_that_is_a_word_counts_at_a_sentence_start_once_seen_elsewhere() -> None:
    text = "Mother says that Tom is angry. Tom hits his little sister."
    assert flagged(text) == [("Tom", K.NAME), ("Tom", K.NAME)]
    assert flagged("Tom hits the ball.") == []


def test_sentence_start_town_that_is_a_word_is_kept() -> None:
    assert flagged("Vejen til skolen er lang.") == []


@pytest.mark.parametrize(
    ("text", "expected", "replacement"),
    [
        ("Aarhus Kommune har sendt et brev.", "Aarhus Kommune", "[kommune i Region Midtjylland]"),
        ("Københavns Kommune", "Københavns Kommune", "[kommune i Region Hovedstaden]"),
        ("sagen ligger i Odense kommune", "Odense kommune", "[kommune i Region Syddanmark]"),
        ("Vesthimmerlands Kommune", "Vesthimmerlands Kommune", "[kommune i Region Nordjylland]"),
        ("Lyngby-Taarbæk Kommune", "Lyngby-Taarbæk Kommune", "[kommune i Region Hovedstaden]"),
    ],
)
def test_municipalities_become_their_region(text: str, expected: str, replacement: str) -> None:
    assert_flags(text, expected, K.MUNICIPALITY)
    assert replacement in deidentify(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oliver er født 3. marts 2014.", "3. marts 2014"),
        ("født 03.03.2014", "03.03.2014"),
        ("født den 3/3-2014", "3/3-2014"),
        ("f. 3.3.14", "3.3.14"),
        ("fødselsdato: 2014-03-03", "2014-03-03"),
        ("Hun fylder 14 den 4. maj.", "4. maj"),
        ("born on March 3, 2014", "March 3, 2014"),
        ("date of birth 3 March 2014", "3 March 2014"),
    ],
)
def test_dates_of_birth(text: str, expected: str) -> None:
    assert_flags(text, expected, K.DATE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sagsnr. 2023-1234", "2023-1234"),
        ("Sagsnummer: 27.15.00-A19-3-21", "27.15.00-A19-3-21"),
        ("j.nr. 12345", "12345"),
        ("journalnr 2023/456.", "2023/456"),
        ("case no. 4711", "4711"),
    ],
)
def test_case_numbers(text: str, expected: str) -> None:
    assert_flags(text, expected, K.CASE_NUMBER)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Far kører i bilen med nummerplade AB 12 345.", "AB 12 345"),
        ("Bilen havde pladen ab 12 345 på.", "ab 12 345"),
        ("Hun skrev ab12345 på papiret.", "ab12345"),
        ("Vognen CD 98765 holdt udenfor.", "CD 98765"),
    ],
)
def test_licence_plates(text: str, expected: str) -> None:
    assert_flags(text, expected, K.LICENCE_PLATE)


@pytest.mark.parametrize(
    "text",
    [
        "Hun tjener på 12 345 kr. om måneden.",
        "Der er 12 345 indbyggere i byen.",
        "Pas på 12345 ting.",
    ],
)
def test_amounts_after_small_words_are_no_plates(text: str) -> None:
    assert not any(kind in (K.LICENCE_PLATE, K.PASSPORT) for _, kind in flagged(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hans pasnummer er 206123456.", "206123456"),
        ("pas nr. 123456789 er udløbet", "123456789"),
        ("Passport no. C01X00T47 was lost.", "C01X00T47"),
        ("Passet: FA1234567 ligger hos mor.", "FA1234567"),
    ],
)
def test_passport_numbers(text: str, expected: str) -> None:
    assert_flags(text, expected, K.PASSPORT)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mor gav IBAN DK50 0040 0440 1162 43 til skolen.", "DK50 0040 0440 1162 43"),
        ("IBAN:DK5000400440116243.", "DK5000400440116243"),
        ("reg.nr. 1234 konto 1234567890", "1234 konto 1234567890"),
        ("Reg. nr. 9570 kontonr. 12345678", "9570 kontonr. 12345678"),
        ("Kontonummer: 1234-1234567890.", "1234-1234567890"),
        ("Send det på MobilePay 28459123.", "28459123"),
        ("mobilepay: 28 45 91 23", "28 45 91 23"),
        ("Swish 070-123 45 67 til farmor.", "070-123 45 67"),
    ],
)
def test_accounts_are_accounts_not_phones(text: str, expected: str) -> None:
    assert_flags(text, expected, K.ACCOUNT)
    assert not any(kind is K.PHONE for _, kind in flagged(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Far bor i Sverige, svensk nummer 070-123 45 67.", "070-123 45 67"),
        ("Farmor i Tyskland har tlf. 0171 1234567.", "0171 1234567"),
        ("Tysk telefon 030/12345678 om aftenen.", "030/12345678"),
        ("Ring til 08-123 456 78 i Stockholm.", "08-123 456 78"),
        ("Mødet var kl. 12,28459123 skrev hun.", "28459123"),
    ],
)
def test_foreign_numbers_and_a_number_after_a_comma(text: str, expected: str) -> None:
    assert_flags(text, expected, K.PHONE)


@pytest.mark.parametrize(
    "text",
    ["Beløbet var 0,5 mio. i 2020.", "Varenummer 01234 567890 uden ord før."],
)
def test_numbers_with_a_leading_zero_without_a_phone_word_stay(text: str) -> None:
    assert not any(kind is K.PHONE for _, kind in flagged(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A name only the larger, sourced list knows (world_first_names.txt), at a
        # sentence start with no verb after it.
        ("Nguyet på 14 år skriver om sin far.", ["Nguyet"]),
        # A surname first, in capitals.
        ("JENSEN METTE ringer om sin datter.", ["JENSEN METTE"]),
        # Lower case after "min søn", and again later in the note.
        ("Mor siger at min søn mads ikke sover, og at mads græder.", ["mads", "mads"]),
        # A name that is also a word, after a role word: the same word elsewhere too.
        ("Pigen Sol er ny. Sol siger, hun ikke har venner.", ["Sol", "Sol"]),
        # A possessive of a name found elsewhere.
        ("Kim er 15 år. Kims mor drikker.", ["Kim", "Kim"]),
        # A word joined to a name by "og".
        ("Hun skriver at Vild og Storm er hendes venner.", ["Vild", "Storm"]),
        # A nickname.
        ("Mor kalder datteren Mille for Mulle.", ["Mille", "Mulle"]),
    ],
)
def test_names_in_more_shapes(text: str, expected: list[str]) -> None:
    assert [piece for piece, kind in flagged(text) if kind is K.NAME] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Han spiller fodbold i B93 om onsdagen.", "B93"),
        ("Hun går til håndbold i HIK.", "HIK"),
    ],
)
def test_clubs_named_by_capitals_or_digits(text: str, expected: str) -> None:
    assert_flags(text, expected, K.INSTITUTION)


@pytest.mark.parametrize(
    "text",
    [
        "MOR ER SYG OG FAR ER PÅ ARBEJDE.",
        "Han har ADHD OCD og går til PPR.",
        "Drengen går i SFO og til fodbold i weekenden.",
        "Solen skinner. Sol og vind er godt for humøret.",
    ],
)
def test_words_that_look_like_names_stay(text: str) -> None:
    assert [piece for piece, kind in flagged(text) if kind in (K.NAME, K.INSTITUTION)] == []


def test_a_lower_case_name_that_is_a_word_is_carried_only_where_a_name_stands() -> None:
    text = "Han skal bo hos far, siger min søn bo. Nu græder bo, og bo er ked af det."
    names = [f.start for f in find_identifiers(text) if f.kind is K.NAME]
    assert names == [text.index("søn bo") + 4, text.index("og bo") + 3]


# --------------------------------------------------------------------------- a whole note


def test_a_note_with_planted_identifiers() -> None:
    result = deidentify(PLANTED_NOTE)
    expected = {
        ("Mette Hansen", K.NAME),
        ("20 30 40 50", K.PHONE),
        ("Oliver", K.NAME),
        ("03.03.2014", K.DATE),
        ("Vestergade 12, 3. th.", K.ADDRESS),
        ("8000 Aarhus C", K.POSTCODE_TOWN),
        ("Vestervang Skole", K.INSTITUTION),
        ("Hanne", K.NAME),
        ("Birgit", K.NAME),
        ("Aarhus Kommune", K.MUNICIPALITY),
        ("2023-1234", K.CASE_NUMBER),
        ("mette.hansen@gmail.com", K.EMAIL),
        ("030314-1234", K.CPR),
        ("@oliver_2014", K.HANDLE),
        ("Ida", K.NAME),
        ("Børnehaven Solsikken", K.INSTITUTION),
    }
    found = {(PLANTED_NOTE[f.start : f.end], f.kind) for f in result.findings}
    assert expected <= found
    assert found - expected == set()
    for word in ("PPR", "Børns Vilkår", "skolen", "kommunen", "Mor ("):
        assert word in result.text
    for secret in ("Mette", "Oliver", "Vestergade", "Hanne", "Birgit", "030314", "2014"):
        assert secret not in result.text
    assert result.counts[K.NAME] == 6
    assert result.counts[K.PHONE] == 1
    assert sum(result.counts.values()) == len(result.findings)
    assert find_identifiers(result.text) == []


# --------------------------------------------------------------------------- API shape


def test_api_shape() -> None:
    result = deidentify("Ring til Oliver på 20304050.")
    assert isinstance(result, Deidentified)
    assert result.text == "Ring til [navn] på [telefon]."
    assert result.counts == {K.NAME: 1, K.PHONE: 1}
    first = result.findings[0]
    assert isinstance(first, Finding)
    assert (first.start, first.end, first.kind) == (9, 15, K.NAME)
    assert first.reason
    with pytest.raises(AttributeError):
        first.start = 3  # type: ignore[misc]


def test_placeholders_are_fixed_danish_tokens() -> None:
    assert placeholder(K.NAME) == "[navn]"
    assert placeholder(K.PHONE) == "[telefon]"
    assert placeholder(K.CPR) == "[cpr]"
    assert placeholder(K.EMAIL) == "[e-mail]"
    assert placeholder(K.ADDRESS) == "[adresse]"
    assert placeholder(K.PLACE) == "[sted]"
    assert placeholder(K.DATE) == "[dato]"
    assert placeholder(K.CASE_NUMBER) == "[sagsnummer]"
    assert placeholder(K.URL) == "[link]"
    assert placeholder(K.HANDLE) == "[brugernavn]"
    assert placeholder(K.INSTITUTION) == "[institution]"
    assert all(placeholder(kind).startswith("[") for kind in K)


def test_kind_values_are_stable() -> None:
    assert {kind.value for kind in K} == {
        "cpr", "phone", "email", "url", "handle", "address", "postcode_town", "name",
        "institution", "place", "municipality", "date", "case_number", "licence_plate",
        "passport", "account",
    }  # fmt: skip


def test_reasons_follow_the_language() -> None:
    try:
        i18n.set_language("en")
        english = find_identifiers("cpr 030314-1234")[0].reason
        assert "CPR" in english
    finally:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)


def test_empty_and_blank_text() -> None:
    assert find_identifiers("") == []
    assert deidentify("").text == ""
    assert deidentify("   \n\t").findings == []


def test_placeholders_are_not_flagged_again() -> None:
    text = "[navn] ringer fra [telefon] om [skole] i [kommune i Region Midtjylland]."
    assert find_identifiers(text) == []


def test_findings_are_sorted_and_do_not_overlap() -> None:
    findings = find_identifiers(PLANTED_NOTE)
    for before, after in itertools.pairwise(findings):
        assert before.end <= after.start


def test_names_carried_in_a_note_are_the_guards_too() -> None:
    # The guard scans paragraph by paragraph: a name is carried within its paragraph,
    # so both scans agree.
    from counsellor_app.core.anonymity.paragraphs import ParagraphScanner

    text = (
        "Pigen Sol er ny. Sol siger, hun ikke har venner.\n"
        "Sol og vind. Min søn mads sover ikke, og mads græder.\n"
        "Han spiller fodbold i B93.\nHIK\nJENSEN METTE ringer. Kim er 15. Kims mor drikker."
    )
    whole = find_identifiers(text)
    scanner = ParagraphScanner()
    parts = [f for paragraph in scanner.scan(text) for f in paragraph.findings]
    assert [(f.start, f.end, f.kind) for f in parts] == [(f.start, f.end, f.kind) for f in whole]
    assert text[whole[0].start : whole[0].end] == "Sol"
    assert "Sol og vind" not in {text[f.start : f.start + 11] for f in whole}


def test_key_names_and_software_words_are_not_flagged() -> None:
    text = (
        "Hun trykker Ctrl+C og Alt+Tab, så Enter og Esc. Jeg bad ham trykke Shift og "
        "Delete i Word og Excel, og blokere ham på Snapchat og i Outlook."
    )
    assert flagged(text) == []
