"""Names of people, institutions and places, found in one pass over the words of a note.

Lower-case words are only looked up in two sets (names and towns that are no Danish word),
so the pass costs little; the decisions are made for capitalised words, by context:

* a known name mid-sentence is a name ("... og Bo kom hjem"); at the start of a sentence a
  name that is also a word ("Mark", "Hans", "Storm") only counts when a verb or a surname
  follows ("Mark har ...", "Hans Jensen"), so "Hans mor ..." stays;
* any word after a role or family word is a name ("lærer Hanne", "min søn Storm");
* a capitalised word mid-sentence that is no Danish or English word is taken for a name;
* schools, daycares, hospitals and clubs are recognised by their type word ("Vestervang
  Skole", "Børnehaven Solsikken", "Rigshospitalet"); towns and districts from a list;
  "Aarhus Kommune" is generalised to its region.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import cache, lru_cache
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple

from counsellor_app.core.anonymity import kinds as k
from counsellor_app.core.anonymity.data import Lexicon, word_set
from counsellor_app.core.anonymity.kinds import Candidate, IdentifierKind
from counsellor_app.core.anonymity.patterns import (
    CAPITAL_WORD,
    CAPITALS,
    STRONG_STREET_SUFFIXES,
    WORD_PIECE,
    TextFacts,
    matches_after_cues,
    matches_at,
    prev_word,
)

Kind = IdentifierKind
P = k.PRIORITY

_CAP_TOKEN = CAPITAL_WORD
_new_tuple = tuple.__new__
#: Not known yet (a memo's answer may be None).
_UNKNOWN = object()
#: At most this many of :meth:`_Scanner.next_word`'s answers are remembered.
_NEXT_WORDS_KEPT = 4096
#: Punctuation that may stick to a word when the text is split on white space.
_STICKY = ".,;:!?\"'()[]{}«»“”„‘’*…-–—/"
_NEXT_WORD = re.compile(r"[ \t]+([^\W_][^\W_]*(?:[-'’][^\W_]+)*)")
_NAMED_CUES = ("hedder", "hed ", "kald", "navnet", "named", "called", "name is")
_NAMED = re.compile(
    r"([HhKkNnCc](?<![^\W_][HhKkNnCc])(?i:(?<=h)(?:edder|ed)|(?<=k)(?:aldes|aldet|alder sig)"
    r"|(?<=n)(?:avnet|amed|ame is)|(?<=c)(?:alled)))"
    r"[ \t]+([^\W\d_][^\W_]*(?:[-'’][^\W_]+)*)"
)
#: How every match of _NAMED begins, in lower case.
_NAMED_STARTS = ("hed", "kald", "navnet", "name", "called")

#: Words after which the next word is a person: roles, family, titles.
ROLE_WORDS = word_set(
    """
    lærer læreren lærerinde lærerinden klasselærer klasselæreren kontaktlærer kontaktlæreren
    dansklærer dansklæreren matematiklærer matematiklæreren idrætslærer idrætslæreren akt-
    lærer akt-læreren støttelærer støttelæreren lærerne pædagog pædagogen pædagogmedhjælper
    pædagogmedhjælperen støttepædagog støttepædagogen kontaktpædagog kontaktpædagogen sfo-
    pædagog sfo-pædagogen sagsbehandler sagsbehandleren socialrådgiver socialrådgiveren
    rådgiver rådgiveren familiebehandler familiebehandleren familiekonsulent
    familiekonsulenten psykolog psykologen skolepsykolog skolepsykologen ppr-psykolog ppr-
    psykologen psykiater psykiateren terapeut terapeuten læge lægen børnelæge børnelægen
    sundhedsplejerske sundhedsplejersken sygeplejerske sygeplejersken skoleleder
    skolelederen leder lederen inspektør inspektøren viceinspektør viceinspektøren
    afdelingsleder afdelingslederen mentor mentoren træner træneren coach coachen dagplejer
    dagplejeren dagplejemor dagplejemoren kontaktperson kontaktpersonen støtteperson
    støttepersonen vejleder vejlederen uu-vejleder uu-vejlederen mor moren moderen far faren
    faderen mormor morfar farmor farfar bedstemor bedstefar søn sønnen datter datteren bror
    broren lillebror lillebroren storebror storebroren søster søsteren lillesøster
    lillesøsteren storesøster storesøsteren halvbror halvbroren halvsøster halvsøsteren
    papbror papbroren papsøster papsøsteren stedfar stedfaren stedmor stedmoren papfar
    papfaren papmor papmoren bonusfar bonusfaren bonusmor bonusmoren onkel onklen tante
    tanten fætter fætteren kusine kusinen ven vennen veninde veninden kammerat kammeraten
    klassekammerat klassekammeraten kæreste kæresten ekskæreste ekskæresten eksmand
    eksmanden ekskone ekskonen manden konen hustru hustruen samlever samleveren nabo naboen
    pigen drengen eleven teacher son daughter mother mum mom father dad brother sister
    stepfather stepmother stepdad stepmom uncle aunt cousin grandmother grandfather grandma
    grandpa granny auntie aunty nan nana friend boyfriend girlfriend husband wife partner
    neighbour neighbor
    counsellor counselor caseworker psychologist doctor nurse headteacher principal coach
    moster mosteren faster fasteren morbror morbroren farbror farbroren nevø nevøen niece
    niecen oldemor oldefar barnebarn barnebarnet plejemor plejemoren plejefar plejefaren
    plejesøn plejedatter svigermor svigerfar nephew niece grandson granddaughter
    """
)
TITLES = frozenset(["hr", "fam", "fru", "frk", "dr", "mr", "mrs", "ms", "miss", "mister"])
#: Words after which a town is a place rather than a surname ("i Rønne", "fra Holte").
PLACE_PREPS = word_set(
    """
    i fra til på ved nær omkring mod udenfor uden nord syd øst vest in from to at near
    around outside
    """
)
#: Words that follow the subject of a sentence: "Mark har ...", "Hans er ...".
VERBS = word_set(
    """
    er var har havde går gik siger sagde vil ville kan kunne skal skulle må måtte bliver
    blev får fik synes syntes fortæller fortalte kommer kom græder græd bor boede hedder
    føler følte tror troede ved vidste sover sov spiser spiste spiller spillede laver lavede
    gør gjorde plejer nægter nægtede mangler manglede virker virkede ringer ringede starter
    startede begynder begyndte slår slog råber råbte skriver skrev sidder sad ligger lå
    løber løb taler talte snakker snakkede elsker hader gider gad kender kendte tager tog
    fylder fyldte mener mente oplever oplevede viser viste prøver prøvede ønsker ønskede
    er's is was has had says said will would can could does did goes went feels felt thinks
    thought lives lived wants wanted likes liked hates cries cried gets got refuses refused
    """
)
#: Verbs after which "i"/"på" + a capitalised word is the child's institution: "går i
#: Humlebien", "hentes i Kastanjen", "starter på Egeskolen" ("kommer hjem fra X" too).
_ATTEND_VERBS = word_set(
    """
    går gik gå gået hentes hentet hente henter afleveres afleveret aflevere afleverer
    afleveringen starter startede startet starte begynder begyndte begyndt passes går's
    ind indmeldt anbragt anbringes indlagt indlægges indskrevet
    """
)
#: Verbs after which "i"/"på"/"fra"/"til" + a capitalised word is a place: "bor i
#: Bispehaven", "flyttet til Tarup", "kom fra Herat".
_DWELL_VERBS = word_set(
    """
    bor boede bo boet bosat boende opholder opholdt flyttet flytter flyttede flytte flyttes
    opvokset vokset kom kommer rejser rejste rejst af lejlighed lejligheden hus huset
    rækkehus rækkehuset bolig boligen lives lived moved living came comes tilbage tæt
    oprindeligt oprindelig originally holder holdt ferie ferien weekend weekenden
    sommerferie sommerferien
    """
)
#: Verbs that say where a child is only with "i": "er i Regnbuen" (not "er på X", which
#: is as often a medicine or an app).
_BE_VERBS = word_set("er var været is was")
#: Verbs after which "fra" + a capitalised word is the institution: "hentet fra Stjernen".
_FETCH_VERBS = word_set("hentes hentet hente henter afhentes afhentet")
_DWELL_PREPS = frozenset({"i", "på", "fra", "til", "in", "from", "to"})
#: Verbs after which an unknown lower-case word is a subject, so a name ("ved" is as
#: often a preposition).
_LOWER_SUBJECT_VERBS = (VERBS - {"ved"}) | word_set("ser så hører leger savner sidder")
#: Capitalised words that follow a name without being its surname.
_DA_MONTHS = word_set(
    "januar februar marts april maj juni juli august september oktober november december"
)
_NOT_SURNAMES = _DA_MONTHS | word_set(
    "mandag tirsdag onsdag torsdag fredag lørdag søndag jeg du han hun vi de det den der"
)
#: Months that may stand as a first name ("August", "Juni") before a verb.
_MONTH_NAMES = _DA_MONTHS - {"november", "december"}
#: An age given after a word: " er 5 år", " bliver 12 år", " is 11 and", " turns 9,".
_AGE_STATED = re.compile(
    r"[ ](?:er|bliver|fylder)[ ]\d{1,2}[ ]år\b(?![ ](?:siden|væk|til|frem|tilbage))"
    r"|[ ](?:is|turns)[ ]\d{1,2}(?:[ ]years\b(?![ ](?:ago|away))|[ ]and\b|,)"
)
#: Words that may stand before an age without naming anyone ("Begge er 12 år", "De to
#: ældste er ...": quantities, numbers, superlatives end in "ste" and are left out too).
_NOT_AGED = word_set(
    """
    alle begge nogle mange flere få ingen hver hvem hvilke andre selv en et én ét to tre
    fire fem seks syv otte ni ti elleve tolv
    all both some many few several none each everyone everybody who two three four five
    six seven eight nine ten everything nothing nobody somebody someone anyone it this that

    opkalder opringer barn dreng pige tvilling vedkommende søskende teenager baby elev
    klient borger patient alder caller child kid boy girl teen twin student pupil client
    patient age

    adhd add autisme angst depression anoreksi bulimi ocd ptsd skizofreni epilepsi diabetes
    astma kræft cancer anxiety autism
    """
)
#: Words after which a capitalised word is a thing, not someone named ("The Company is
#: 12 and ...", "Den Gamle er ...").
_DETERMINERS = word_set(
    """
    the a an this that my his her our their den det en et denne dette min mit din dit
    hans hendes vores deres sin sit
    """
)
#: Where a clause's subject follows: "hvordan martin trækker sig" (see
#: :meth:`_Scanner.lower_names_after_leads`; each written before a space).
_QUESTION_LEADS = ("hvordan ", "hvorfor ", "hvornår ", "fordi ", "mens ", "selvom ", "når ")
_AFTER_QUESTION_LEAD = re.compile(
    r"(?i:(?<![^\W_])(?:hvordan|hvorfor|hvornår|fordi|mens|selvom|når))[ ]"
    r"([a-zæøåäöüé]{2,})(?![^\W_])"
)
#: Verbs after which a speaker stands before ", at": "fortalte Lovely, at ...".
_SAY_VERBS = word_set(
    "fortalte fortæller sagde siger mente mener syntes synes troede tror skrev skriver"
)
#: "har Roman det bedst": after these, someone who has it a certain way.
_HAVE_VERBS = word_set("har havde")
#: How words for someone of the family end ("bonusbror", "papsøsteren", "plejebarnet",
#: "weekendfar"): their genitive before "skole" names no school.
_FAMILY_ENDINGS = tuple(
    word_set(
        """
        bror broren søster søsteren søskende barn barnet børn børnene far faren fader
        faderen mor moren moder moderen forældre forældrene datter datteren søn sønnen
        ven vennen veninde veninden kæreste kæresten fætter fætteren kusine kusinen onkel
        onklen tante tanten nevø nevøen niece niecen
        """
    )
)
#: Rooms that name a youth club ("er i Kælderen til kl. 17"; "i Kirken til kl. 12" is
#: the church).
_CLUB_ROOMS = word_set("kælderen loftet")
#: Times of the year that are first names too ("når jul nærmer sig").
_TIMES_OF_YEAR = word_set(
    """
    jul påske pinse sommer vinter forår efterår høst
    morgen formiddag middag eftermiddag aften nat weekend morning afternoon evening night
    """
)
#: An institution's type after a genitive s: "rosenvængets skole" (see
#: :meth:`_Scanner.lower_genitive_institutions`).
_GENITIVE_INSTITUTIONS = (
    "s skole", "s friskole", "s privatskole", "s efterskole", "s børnehave", "s vuggestue",
    "s fritidsklub", "s fritidshjem",
)  # fmt: skip
#: A name found for these reasons is carried to its other places in the paragraph even
#: where it is also a word ("Tyr er 5 år ... ringer om Tyr").
_SURE_REASONS = (k.R_NAME_ROLE, k.R_NAME_AGE, k.R_NAME_DOING)
#: What :data:`_AGE_STATED` begins with (a cheap test before the pattern).
_AGE_VERBS = (" er ", " bliver ", " fylder ", " is ", " turns ")
#: An age right after a name: ", 13", " - 13 år", " (13)", " på 13 år" ("Sol på 8 år
#: græder": at a sentence's start too).
_AGE_AFTER = re.compile(r"(?:,[ ]?|[ ][-–(][ ]?)\d{1,2}(?!\d)|[ ]på[ ]\d{1,2}[ ]år\b")
#: What only a person does, right after a word ("Eg græder", "Rain has been crying",
#: "da Roman kom hjem", "hvordan ploy trækker sig"): the word is someone's name.
_DOING = re.compile(
    r"(?:[ ]\(\d{1,2}\))?"  # an age in brackets between: "Mile (9) græder"
    r"[ ](?:græder|græd|skriger|skreg|råber|råbte|griner|grinede|smiler|smilede|skændes"
    r"|trækker[ ]sig|trak[ ]sig|kom[ ]hjem|kommer[ ]hjem|slår|slog|driller|drillede|lyver"
    r"|løj|ringer|ringede"
    r"|cries|cried|(?:is|was|has[ ]been|keeps)[ ]crying|screams|screamed|shouts|shouted"
    # how only a person feels, after the verb ("Tyr var glad") or before it ("I dag var
    # Tyr glad": see _Scanner.doing); not "trist", said of things as often ("Verden er
    # trist", "Ferie var trist")
    r"|(?:(?:er|var|blev|bliver)[ ])?(?:glad|ked[ ]af[ ]det|vred|bange))"
    r"(?![^\W_])"
)
#: What a plain capitalised word's next four characters may begin that the scan looks at
#: closer: what only a person does (True: :data:`_DOING`, also after an age in brackets,
#: " (7) græder") or an age stated (False: :data:`_AGE_VERBS`, see
#: :meth:`_Scanner.age_stated`). One look-up in a dict per word: most have none after them.
_HEADS_AFTER_PLAIN: dict[str, bool] = {
    **{head: True for head in (
        " græ", " skr", " råb", " gri", " smi", " skæ", " træ", " tra", " kom", " slå",
        " slo", " dri", " lyv", " løj", " rin", " cri", " was", " has", " kee", " scr",
        " sho", " er ", " var", " ble", " gla", " ked", " vre", " ban",
    )},
    **{f" ({n})": True for n in range(1, 10)},
    **{f" ({n}": True for n in range(10, 100)},
    **{verb[:4]: False for verb in _AGE_VERBS},
}  # fmt: skip
#: Feelings that :data:`_DOING` takes right after a word only after a verb before it.
_FEELINGS = (" glad", " ked", " vred", " bange")
_FEELING_VERBS = word_set("er var blev bliver")
#: Words for people that are no one's name, before what people do ("Børn græder").
_PEOPLE = word_set(
    """
    man folk børn drenge piger voksne forældre lærere elever pædagoger søskende venner
    alt intet ingenting noget meget mere mest lidt
    veninder kammerater naboer mennesker nogen ingen begge alle people kids children
    parents teachers students everyone everybody nobody someone somebody baby babies
    friends classmates siblings neighbours neighbors boys girls adults others staff police
    bullies
    """
)
#: Adverbs that begin a sentence before its verb, whose subject is left out or follows
#: ("Derfor ringede skolen", "Pludselig slog døren i", "Sometimes cries in class").
_SENTENCE_ADVERBS = word_set(
    """
    derfor igen tidligere pludselig senere bagefter derefter heldigvis desværre endelig
    ofte tit altid aldrig stadig sjældent ellers måske faktisk egentlig straks snart
    hurtigt først sidst siden dengang imens samtidig alligevel hjemme derhjemme
    sometimes often always never still then later afterwards suddenly usually yesterday
    today tonight again finally eventually recently soon once occasionally also
    """
)
#: Labels before a colon and a name ("Opringer: Mahali", "Barn: Ugaas").
_NAME_LABELS = word_set(
    """
    opringer opringeren barn barnet mor far forælder klient navn pige dreng søn datter
    caller child mother father name
    """
)
#: Prepositions after which a capitalised compound is a place ("i Hvilsted").
_PLACE_ONLY_PREPS = frozenset({"i", "fra", "til", "in", "from"})
#: Verbs that may stand before the subject and a place ("bor de i ...", "er han i ...").
_AFTER_SUBJECT_VERBS = _BE_VERBS | _ATTEND_VERBS | _DWELL_VERBS
#: Endings of Danish and foreign place names ("Hvilsted", "Tirstrup", "Halmstad").
_PLACE_NAME_ENDINGS = (
    "rup", "sted", "lev", "løse", "inge", "by", "borg", "købing", "bjerg", "holm", "skov",
    "bæk", "lund", "toft", "torp", "vig", "næs", "havn", "hede", "stad", "burg", "berg",
    "dorf", "hausen", "heim", "ow", "owo", "sk", "ice", "grad", "pol", "abad", "istan",
    # housing areas ("i Rønnebærparken", "i Hedelyngen", "i Elmehøj")
    "parken", "park", "høj", "højen", "lyngen", "haven", "gården", "vænget", "toften",
    "engen", "lunden", "bakken", "vangen", "hegnet", "kvarteret",
)  # fmt: skip
#: English subject leads: in an English sentence a capitalised English word after them
#: is as often a slip as a name.
_EN_LEADS = word_set("and but because so when if while how why")
#: The staff of an institution: "pædagogerne i Minimyren", "lærerne på Egeskolen".
_STAFF = word_set(
    """
    pædagogerne pædagogen personalet lærerne lederen medarbejderne de voksne
    """
) - {"de"}
#: Subjects written after the verb ("er han i ...", "går pigen i ...").
_SUBJECTS = word_set("han hun de den det vi jeg du drengen pigen barnet sønnen datteren")
_CONTEXT_PREPS = _DWELL_PREPS | {"ved"}
#: Ordinary places in the definite form, capitalised by a slip: "bor på Værelset".
_COMMON_PLACES = word_set(
    """
    huset hjemmet værelset lejligheden byen kirken centret centeret hallen stranden skoven
    haven gården marken lejren sengen badet køkkenet stuen kælderen loftet bilen bussen
    toget skolen børnehaven vuggestuen klubben gangen opgangen trappen klassen
    klasseværelset legepladsen skolegården gymnastiksalen omklædningsrummet biblioteket
    kantinen sofaen
    """
)
#: Endings of institution names written in lower case: "bakkeskolen", "mosebørnehaven".
_LOWER_INSTITUTION_SUFFIXES = (
    "skolen", "børnehaven", "vuggestuen", "klubben", "børnehuset", "fritidshjemmet",
    "gymnasiet", "efterskolen", "friskolen", "hospitalet", "sygehuset",
)  # fmt: skip
#: Small words that are never names, even capitalised after a role word.
FUNCTION_WORDS = word_set(
    """
    og i på til fra med af for om ved men eller så at som der det den de en et hun han jeg
    du vi i dem hende ham sig min mit mine din dit dine hans hendes sin sit sine vores jeres
    deres også ikke nu da når hvis hvor hvad hvem hvordan hvorfor her der and or but the a
    an of in on at to for with by from is was he she it they we you i my your his her its
    our their this that not no yes
    """
)
#: Capitalised type words written after an institution's name: "Vestervang Skole".
TYPE_AFTER = word_set(
    """
    skole skolen friskole privatskole efterskole lilleskole realskole heldagsskole
    specialskole ungdomsskole kostskole gymnasium gymnasiet gymnasieskole børnehave
    børnehaven vuggestue vuggestuen børnehus børnehuset fritidshjem fritidsklub klub klubben
    ungdomsklub hospital hospitalet sygehus sygehuset universitetshospital akademi kollegium
    institut seminarium boldklub idrætsforening gymnastikforening school academy college
    kindergarten nursery preschool clinic club
    """
)
#: Type words written before an institution's name: "Børnehaven Solsikken".
TYPE_FIRST = word_set(
    """
    børnehaven vuggestuen institutionen daginstitutionen klubben fritidsklubben
    ungdomsklubben fritidshjemmet efterskolen friskolen privatskolen lilleskolen børnehuset
    opholdsstedet bostedet specialskolen heldagsskolen dagplejen legestuen
    skovbørnehaven naturbørnehaven opholdssted bosted døgninstitution døgninstitutionen
    botilbud botilbuddet klub fritidsklub ungdomsklub spejdergruppe spejdergruppen
    """
)
#: Endings of one-word institution names: "Vestervangskolen", "Rigshospitalet".
INSTITUTION_SUFFIXES = (
    "skole", "skolen", "skoles", "skolens", "gymnasium", "gymnasiet", "gymnasiets",
    "børnehave", "børnehaven", "børnehus", "børnehuset", "vuggestue", "vuggestuen",
    "hospital", "hospitalet", "hospitalets", "sygehus", "sygehuset", "klub", "klubben",
    "fritidshjem", "fritidshjemmet", "akademi", "akademiet", "kollegium", "kollegiet",
)  # fmt: skip
_MUNICIPALITY_WORDS = frozenset({"kommune", "kommunes", "regionskommune", "regionskommunes"})
_DISTRICT_CODES = frozenset({"C", "K", "N", "S", "V", "Ø", "J", "NV", "NØ", "SV", "SØ"})
_EN_MONTHS = word_set(
    """
    january february march april may june july august september october november december
    """
)
_MONTH_CONTEXT = word_set(
    """
    in of since until till by from to during last next early late mid before after i fra til
    siden indtil før efter sidst først medio primo ultimo
    """
)
#: A month (also a first name: "August", "April", "June") said to be a hard or good time:
#: "men August var svær", "August was a hard month" (see :meth:`_Scanner.month_as_time`).
_PERIOD_AFTER_MONTH = re.compile(
    r"[ ](?:var|er|blev|bliver|was|is|has[ ]been)"
    r"(?:[ ](?:en|et|a|an|så|ret|meget|lidt|rigtig|virkelig|very|really|quite|so|pretty))?"
    r"[ ](?:(?P<adj>svær|svært|hård|hårdt|tung|tungt|lang|langt|slem|slemt|god|godt|dårlig|"
    r"rolig|roligt|travl|travlt|fin|fint|værre|bedre|nem|nemt|let|kold|koldt|mørk|mørkt|"
    r"trist|hard|tough|difficult|long|good|bad|busy|calm|quiet|better|worse|rough|easy|"
    r"dark|cold|sad|heavy)(?=[.,;:!?]|[ ](?:og|men|end|and|but|than)[ ]|$)"
    r"|(?:\w+[ ]){0,2}(?P<noun>måned|month|periode|period)\b)"
)
#: Words that make a sentence about time: a month said to be hard there is the month.
_WORD_RUN = re.compile(r"[^\W\d_]+")
_TIME_WORDS = (
    _DA_MONTHS
    | _EN_MONTHS
    | word_set(
        """
    mandag tirsdag onsdag torsdag fredag lørdag søndag mandage tirsdage onsdage torsdage
    fredage lørdage søndage monday tuesday wednesday thursday friday saturday sunday
    mondays tuesdays wednesdays thursdays fridays saturdays sundays uge ugen uger ugerne
    week weeks måned måneder måneden month months ferie ferien holiday holidays sommer
    sommeren vinter vinteren forår foråret efterår efteråret summer winter spring autumn
    """
    )
)
#: Words after which a subject may stand: "men rose har det skidt", "fordi will er".
_SUBJECT_LEADS = word_set(
    """
    og men at fordi så når da hvis mens selvom om hvor and but because so when if while
    hvordan hvorfor hvornår how why
    """
)
#: Words that follow a name with an s of its own, never what a genitive owns:
#: "Aleksandrs slår", "Janis fra OB", "Ernests ikke", "Rebeca Boros siden".
_NOT_OWNED = (
    FUNCTION_WORDS
    | VERBS
    | _LOWER_SUBJECT_VERBS
    | word_set(
        """
        siden efter før igen selv altid aldrig tit ofte meget mere mest lige stadig
        allerede heller jo vel nok sammen hjemme hjem ud ind op ned over under mod
        efter bare kun sig blevet været fået haft skændes slås mødes ses enes
        """
    )
)
_DASHES = frozenset("-–—")
_NO_GENITIVE_AFTER = frozenset(",.;:!?)]\n\r")
#: Words written in capitals before a comma as a cue, not as a surname ("HUSK, Emma").
_CAPS_CUES = word_set("obs nb ps husk vigtigt note todo ok okay hej kære ring svar")
#: Words written before a name that are no part of it ("sagde Hej Ahmed").
_GREETINGS = word_set(
    "hej hejsa tak kære goddag godmorgen farvel hallo undskyld hi hello hey dear thanks bye"
)
#: Prepositions before a person's full name ("hos Mile Vretenar").
_BEFORE_FULL_NAMES = word_set("hos med til fra om for af ved mod efter with from to by about")
#: How compounds that name an outing or an activity end: "kom hjem fra Fodboldtræning"
#: names no institution.
_OUTINGS = tuple(
    word_set(
        """
        træning undervisning ferie lejr arbejde kamp fest tur kursus møde besøg job
        praktik ophold weekend stævne turnering spil koncert ture tid skole
        bold ball sport svømning gymnastik dans ridning spejder tennis badminton karate
        judo boksning atletik
        """
    )
)
#: What may follow a place's second word (see :meth:`_Scanner.place_end`): no "@", no
#: ".dk", no digit ("Nowe Miasto.", "Nowe Miasto, ..." but not "Miasto.dk").
_PLACE_WORD_ENDS = frozenset(
    ["", " ", "\n", ",", ".", ". ", ".\n", ", "]
    + [" " + c for c in "abcdefghijklmnopqrstuvwxyzæøå-–(ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ"]
    + [",\n"]
)
_SENTENCE_END = frozenset(".!?:;…\n\r\u2029\u2028")
_OPENERS = frozenset(" \t\"'«»“”„‘’([{*•·–—-")


#: Two or three words in capitals that are all names: "JENSEN METTE", "METTE JENSEN".
_CAPS_NAME = re.compile(
    rf"[{CAPITALS}](?<![^\W_][{CAPITALS}])[{CAPITALS}]+(?:[ ][{CAPITALS}]{{2,}}){{1,2}}(?![^\W_])"
)
#: A surname in capitals, a comma and a capitalised first name ("DOBRE, Medėja").
_CAPS_SURNAME = re.compile(
    rf"([{CAPITALS}](?<![^\W_][{CAPITALS}])[{CAPITALS}]{{2,}})(?![^\W_]),[ ]"
    rf"([{CAPITALS}][^\W\d_]*[a-zæøåäöüéáíóúýčěšžńłąęėų][^\W\d_]*)(?![^\W_])"
)
#: A lower-case name after "min søn", "hendes datter", "my son": "min søn mads".
#: The family words of :data:`_FAMILY_LOWER`, each written between spaces or tabs.
_FAMILY_WORDS = (
    "søn", "datter", "dreng", "pige", "bror", "søster", "lillebror", "storebror",
    "lillesøster", "storesøster", "halvbror", "halvsøster", "papbror", "papsøster", "kæreste",
    "ven", "veninde", "son", "daughter", "brother", "sister", "boyfriend", "girlfriend",
    "friend",
)  # fmt: skip
_FAMILY_LOWER = re.compile(
    r"(?i:(?<![^\W_])(?:min|mit|vores|hans|hendes|din|deres|sin|my|his|her|our)[ \t]+"
    rf"(?:{'|'.join(_FAMILY_WORDS)}))[ \t]+([a-zæøåäöüé][a-zæøåäöüé\-]+)(?![^\W_])"
)
#: English family words a name's possessive stands before ("Roman's mum").
_EN_FAMILY = word_set(
    """
    mum mom mother dad father brother sister grandma grandmother grandpa grandfather aunt
    uncle stepdad stepmum stepmom stepmother stepfather parents family son daughter
    """
)
#: Words before an English possessive that make its owner a thing ("the Doctor's mum").
_EN_DETERMINERS = word_set("the a an his her their our my your its this that these those")
#: An age right after a word that is no dictionary word, stricter than :data:`_AGE_AFTER`
#: (closed by a bracket or said in years): "(Sungara, 8)", " (5)", ", 11 år", " - 11 år".
_AGE_BRACKET = re.compile(
    r",[ ]?\d{1,2}\)|[ ]\(\d{1,2}(?:[ ]år)?\)|,[ ]\d{1,2}[ ]år\b|[ ][-–][ ]\d{1,2}[ ]år\b"
)
#: Verbs before a subject staying with family: "var Roman hos sin far".
_STAY_VERBS = word_set("var er blev bliver bor boede sov sover")
_AT_FAMILY = (" hos sin ", " hos sine ", " hos hans ", " hos hendes ", " hos deres ")
#: Words for a child before "(Name, age)": "Barnet (Bob, 13)".
_CHILD_WORDS = word_set("barnet barn drengen pigen child boy girl opringer")
_BRACKET_AGE_CLOSE = re.compile(r",[ ]?\d{1,2}(?:[ ]år)?\)")
_PERSONAL_PRONOUNS = word_set("han hun de vi jeg du man he she they we i you")
#: A lower-case word taken to school or daycare: "kører selv siku i skole", "henter jan i
#: børnehave" (see :meth:`_Scanner.taken_to_school`).
_TAKEN = re.compile(
    r"(?<![^\W_])(?i:kører|kørte|henter|hentede|afleverer|afleverede|følger|fulgte|bringer"
    r"|bragte)(?:[ ]selv)?[ ]([^\W\d_]+)[ ](?:i|til)[ ](?:skole|børnehave|vuggestue"
    r"|dagpleje|sfo|klub)(?![^\W_])"
)
_TAKEN_CUES = ("kør", "hent", "aflever", "følger", "fulgte", "bringer", "bragte")
_TO_DAYCARE = (" i skole", " til skole", " i børnehave", " i vuggestue", " i dagpleje",
               " i sfo", " i klub")  # fmt: skip
#: A lower-case word of five letters or more at a line's or a list item's start.
_LINE_START_WORD = re.compile(r"[ \t]*(?:[-–•*][ \t]*)*([a-zæøå]{5,})(?=[ \t])")
#: Words that are no name at a line's start (see :meth:`_Scanner.lower_names_at_line_starts`).
_NO_LINE_START_NAMES = (
    FUNCTION_WORDS
    | ROLE_WORDS
    | _PEOPLE
    | _LOWER_SUBJECT_VERBS
    | _TIMES_OF_YEAR
    | _DA_MONTHS
    | _EN_MONTHS
    | _NOT_SURNAMES
)
_BULLETS = ("- ", "– ", "• ", "* ")
#: An age after a word: " er 4", " is 12".
_AGE_NEXT = re.compile(r"[ ](?:er|var|bliver|fylder|is|was|turns)[ ]\d{1,2}(?![\d.,:/])")
#: The longest possessive of :data:`_FAMILY_LOWER` ("hendes").
_LONGEST_CUE = 6
_FAMILY_CUES = ("min ", "mit ", "vores ", "hans ", "hendes ", "din ", "deres ", "sin ",
                "my ", "his ", "her ", "our ")  # fmt: skip
#: A nickname: "kalder datteren Mille for Mulle", "kaldet for Mulle".
_NICKNAME = re.compile(
    r"(?i:kald(?:er|te|es|et)?)(?![^\W_])[^.!?\n]{0,40}?[ \t]for[ \t]+"
    r"([A-ZÆØÅ][^\W\d_]*(?:-[^\W\d_]+)?)"
)
#: A club named by capitals or digits ("B93", "HIK", "AGF") after "i"/"hos"/"for" where
#: the sentence speaks of a sport or a club.
_CLUB = re.compile(r"[A-ZÆØÅ](?<![^\W_][A-ZÆØÅ])(?:[A-ZÆØÅ]{0,3}\d{1,4}|[A-ZÆØÅ]{1,4})(?![^\W_])")
#: The words a club's name follows ("spiller i B93", "træner hos HIK").
_CLUB_PREPS = frozenset({"i", "hos", "for", "mod", "fra", "in", "at", "from"})
_SPORT_CUES = (
    "fodbold", "håndbold", "klub", "svømning", "basket", "badminton", "gymnastik",
    "ishockey", "hockey", "tennis", "træning", "træner", "atletik", "karate", "boksning",
    "esport", "ridning", "spejder", "football", "soccer", "club", "spiller", "spillede",
    "kamp", "turnering", "stævne", "plays", "played", "match",
)  # fmt: skip
#: An age group of a club's teams ("U13"): no club.
_AGE_GROUP = re.compile(r"U\d{1,2}")


#: Labels and abbreviations that a hostile or hurried text may put where a name stands;
#: found there they are replaced, but never carried to the rest of the note.
_NOT_CARRIED = word_set(
    """
    ref sagsnr sagsnummer case file nr tlf cpr født birthday dob mail email
    """
)


def institution_placeholder(low: str) -> str:
    """A placeholder that keeps the arena: "[skole]", "[daginstitution]", ..."""
    if "efterskole" in low:
        return "[efterskole]"
    if "gymnasi" in low:
        return "[gymnasium]"
    if "skole" in low or "school" in low or "academy" in low or "college" in low:
        return "[skole]"
    if any(w in low for w in ("børnehave", "vuggestue", "børnehus", "kindergarten", "nursery")):
        return "[daginstitution]"
    if "hospital" in low or "sygehus" in low or "clinic" in low:
        return "[hospital]"
    if "klub" in low or "club" in low or "forening" in low:
        return "[klub]"
    return "[institution]"


def _prev_word(text: str, pos: int) -> tuple[str, int, str]:
    """:func:`~counsellor_app.core.anonymity.patterns.prev_word`, quicker where the gap
    holds a full stop or a comma ("... hjem. Oliver", "mor, Canal") or the word is a
    number ("8000 Aarhus"): the word before such a gap, if it is letters or digits after
    a space, is found by one reverse search instead of a step per character (the gap is
    what ``prev_word`` strips, at most four of " \t.,"; the word what it steps back over
    then, letters and digits among others, which stops at the space)."""
    head = text[pos - 4 if pos > 4 else 0 : pos]
    end = pos - (len(head) - len(head.rstrip(" \t.,")))
    space = text.rfind(" ", end - 40 if end > 40 else 0, end)
    if space != -1:
        word = text[space + 1 : end]
        if word.isalnum():
            return word, space + 1, text[end:pos]
    return prev_word(text, pos)


def _sentence_start(text: str, pos: int) -> bool:
    """Is the word at ``pos`` the first of a sentence, a line or a list item?"""
    i = pos - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


class _Scanner:
    """One scan of one text (holds the text, the lexicon and the candidates found)."""

    def __init__(self, text: str, lex: Lexicon, facts: TextFacts | None = None) -> None:
        self.text = text
        self.lex = lex
        self.facts = facts if facts is not None and facts.text is text else TextFacts(text)
        self.out: list[Candidate] = []
        #: Names at a sentence start that are also words ("Tom", "Mark") and had no verb
        #: after them: they count if the same name is flagged elsewhere in the text.
        self.deferred: list[tuple[int, int]] = []
        #: Lower-case words looked for wherever they stand (names, towns, unknown words).
        self.lower_words: frozenset[str] = frozenset()
        #: :meth:`next_word` by offset, for this scan.
        self.next_words: dict[int, tuple[str, int] | None] = {}

    # -------------------------------------------------------------- helpers

    def add(self, start: int, end: int, kind: Kind, reason: str, replacement: str = "") -> None:
        # ``Candidate(...)``, made without the named tuple's ``__new__`` (a Python
        # function): the same tuple of the same class.
        self.out.append(_new_tuple(Candidate, (start, end, kind, reason, P[kind], replacement)))

    def name_length(self, tok: str) -> int:
        """How much of ``tok`` is a known name (possessive s left out), 0 if it is none."""
        memo = _name_lengths(self.lex)
        known = memo.get(tok)
        if known is None:
            known = self._name_length(tok)
            if len(memo) < 100_000:
                memo[tok] = known
        return known

    def _name_length(self, tok: str) -> int:
        names = self.lex.names
        if tok in names:
            return len(tok)
        for suffix in ("s", "'s", "’s", "'"):
            if tok.endswith(suffix) and tok[: -len(suffix)] in names:
                return len(tok) - len(suffix)
        if "-" in tok:
            parts = tok.split("-")
            last = parts[-1]
            if all(p[:1].isupper() and p in names for p in parts[:-1]) and last[:1].isupper():
                if last in names:
                    return len(tok)
                if last.endswith("s") and last[:-1] in names:
                    return len(tok) - 1
        return 0

    def is_word(self, tok: str, low: str) -> bool:
        """Is ``tok`` a dictionary word, an allowed proper noun or made of such parts?"""
        lex = self.lex
        if low in lex.words or low in lex.allowed:
            return True
        for suffix in ("'s", "’s", "s"):
            if low.endswith(suffix) and low[: -len(suffix)] in lex.allowed:
                return True
        if "-" in tok:
            return all(
                (p.isupper() and len(p) > 1) or p.lower() in lex.words or p.lower() in lex.allowed
                for p in tok.split("-")
                if p
            )
        return False

    def is_word_form(self, low: str, shortest: int = 3) -> bool:
        """Is ``low`` a dictionary word with an ending the dictionary lacks ("driller"), or
        two dictionary words joined ("skole" + "vægringen"), the stem or the first part of
        at least ``shortest`` letters?"""
        memo = _word_forms(self.lex)
        key = low if shortest == 3 else (low, shortest)
        known = memo.get(key)
        if known is None:
            known = self._is_word_form(low, shortest)
            if len(memo) < 100_000:
                memo[key] = known
        return known

    def _is_word_form(self, low: str, shortest: int = 3) -> bool:
        words = self.lex.words
        for ending in _ENDINGS:
            if low.endswith(ending) and len(low) - len(ending) >= shortest:
                stem = low[: -len(ending)]
                if stem in words or stem + "e" in words:
                    return True
        return self.is_compound(low, shortest)

    def is_compound(self, low: str, shortest: int = 3) -> bool:
        """Is ``low`` two dictionary words joined ("skole" + "vægringen"), the first of at
        least ``shortest`` letters, or of three before a long second ("fag" + "personen")?"""
        words = self.lex.words
        n = len(low)
        if n < 7 or n > _LONGEST:
            return False
        # A first part of three letters leaves at least five to the second from 8 on.
        for i in range(3 if n >= 8 else shortest, n - 2):
            if low[:i] in words:
                tail = low[i:]
                if tail in words or (tail[0] in "se" and len(tail) > 3 and tail[1:] in words):
                    return True
        return False

    def next_word(self, end: int) -> tuple[str, int] | None:
        """The word after the spaces or tabs at ``end`` and where it ends (None if
        none); remembered for the scan (a name's next word is asked for by several
        rules, and again when the name is carried)."""
        known = self.next_words.get(end, _UNKNOWN)
        if known is not _UNKNOWN:
            return known  # type: ignore[return-value]
        m = _NEXT_WORD.match(self.text, end)
        found = (m.group(1), m.end(1)) if m else None
        memo = self.next_words
        if len(memo) >= _NEXT_WORDS_KEPT:  # (a long text: its memory stays small)
            memo.clear()
        memo[end] = found
        return found

    def followed_by_subject_cue(self, end: int) -> bool:
        """Does a verb, a surname or an age (", 13", " - 13", " (13") follow the word
        ending at ``end``?"""
        text = self.text
        if text[end : end + 1] in (",", " ") and _AGE_AFTER.match(text, end):
            return True
        nxt = self.next_word(end)
        if not nxt:
            return False
        word = nxt[0]
        if word.lower() in VERBS:
            return True
        if word.lower() in ("og", "and", "eller", "or"):  # "Aksel og Villads"
            after = self.next_word(nxt[1])
            if not after or not after[0][:1].isupper() or after[0].isupper():
                return False
            other = after[0]
            return bool(self.name_length(other)) or not (
                self.is_word(other, other.lower()) or self.is_word_form(other.lower(), 4)
            )
        if word[:1].isupper() and not word.isupper():
            return bool(self.name_length(word)) or not self.is_word(word, word.lower())
        return False

    def joined_to_a_word(self, end: int) -> bool:
        """Does "og"/"and" and a lower-case noun follow ("Sol og vind", "Mark og skov",
        not "Mark og de andre")? Then a name that is also a word is the word."""
        nxt = self.next_word(end)
        if not nxt or nxt[0] not in ("og", "and", "eller", "or"):
            return False
        after = self.next_word(nxt[1])
        return bool(after and after[0][:1].islower() and after[0] not in FUNCTION_WORDS)

    def verb_after(self, end: int) -> bool:
        """Is the word after ``end`` (a space between) a verb ("har", "siger", ...), or a
        dictionary word in the present or past tense's form ("trækker", "ringede")?"""
        nxt = self.next_word(end)
        if not nxt:
            return False
        word = nxt[0]
        return word in _LOWER_SUBJECT_VERBS or (
            len(word) > 4 and word.endswith(("er", "ede")) and word in self.lex.words
        )

    def subject_after_verb(self, end: int) -> bool:
        """Do a verb and then a subject (a pronoun, a family or role word) follow?"""
        nxt = self.next_word(end)
        if not nxt or nxt[0] not in VERBS:
            return False
        after = self.next_word(nxt[1])
        return bool(after and (after[0] in _SUBJECTS or after[0] in ROLE_WORDS))

    def pronoun_after_verb(self, end: int) -> bool:
        """Do a word and then a personal pronoun follow ("er han", "vil hun")?"""
        nxt = self.next_word(end)
        after = self.next_word(nxt[1]) if nxt else None
        return bool(after and after[0] in _PERSONAL_PRONOUNS)

    def month_as_time(self, low: str, start: int, end: int) -> bool:
        """Is the month ``low`` (capitalised, and a first name too) said to be a hard or
        good time: "August was a hard month", or a bare "var svær" in a sentence about
        time ("går til samtaler hver onsdag, men August var svær")? A person may be
        "svær" as well, so a bare adjective needs another time word in the sentence."""
        if low not in _DA_MONTHS and low not in _EN_MONTHS:
            return False
        text = self.text
        m = _PERIOD_AFTER_MONTH.match(text, end)
        if not m:
            return False
        if m.group("noun"):
            return True
        first = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
        stops = [i for i in (text.find(c, m.end()) for c in ".!?\n") if i != -1]
        last = min(stops) if stops else len(text)
        around = (text[first:start] + " " + text[m.end() : last]).lower()
        return any(word in _TIME_WORDS for word in _WORD_RUN.findall(around))

    def aged_oddly_joined(self, low: str, end: int) -> bool:
        """Is ``low`` (no dictionary word) given an age right after it ("(Sungara, 8) er",
        "Morolake (5) græder", "Amoke, 11 år") and only joined of a short or an English
        part ("sung" + "ara", "moro" + "lake"), as names are, not of two Danish words
        of four letters or more ("Forældremøde (2)")?"""
        text = self.text
        m = _AGE_BRACKET.match(text, end)
        if not m:
            return False
        if text[m.end() - 1] == ")" and not self.verb_after(m.end()):
            return False
        if low in ROLE_WORDS or low.endswith(_FAMILY_ENDINGS):
            return False
        if self.danish_compound(low):
            return False
        words = self.lex.words
        return not any(low.endswith(ending) and low[: -len(ending)] in words for ending in _ENDINGS)

    def danish_compound(self, low: str) -> bool:
        """Is ``low`` two Danish words of four letters or more joined ("forældre" +
        "møde", "bonus" + "børnene"), not of a short or an English part ("sung" + "ara",
        "war" + "same"), as names that look like compounds are?"""
        words = self.lex.words
        english = self.lex.english_only
        for i in range(4, len(low) - 3):
            head, tail = low[:i], low[i:]
            if head in words and tail in words and head not in english and tail not in english:
                return True
        return False

    def age_stated(self, tok: str, start: int, end: int) -> bool:
        """Is a capitalised dictionary word someone whose age the sentence gives ("Tyr er
        5 år", "Fryd bliver 4", "Rain is 11 and ...")? Then it is a name: added here.
        Family, role, person, definite and quantity words, days, times of the year and
        diagnoses ("Drengen er 12 år", "Opkalder er 14 år", "Fredag er 2 år siden", "Angst
        er ...") are none."""
        low = tok.lower()
        if (
            low.endswith("ste")
            or not _AGE_STATED.match(self.text, end)
            or self.no_person(low, start)
        ):
            return False
        self.add(start, end, Kind.NAME, k.R_NAME_AGE)
        return True

    def doing(self, low: str, start: int, end: int, verb_end: int) -> bool:
        """Is the word ``start``..``end`` (lower-cased ``low``) someone the sentence says
        cries, shouts, hits or comes home ("Eg græder", "Rain has been crying", "da Roman
        kom hjem")? Only a person does that: a word there is a name, added here. Family,
        role, people, definite and quantity words, adverbs, days, months and institutions
        are none ("Mor græder", "Børn råber", "Skolen ringede", "Alle griner", "Derfor
        ringede skolen"), and so is a word
        with the subject after the verb ("Bagefter græd han"). ``verb_end``: where
        :data:`_DOING`'s match after the word ends."""
        if (
            low in _PEOPLE
            or low in _SENTENCE_ADVERBS
            or low in TYPE_AFTER
            or low in self.lex.generic_institutions
            or self.no_person(low, start)
        ):
            return False
        if self.text.startswith(_FEELINGS, end) and prev_word(self.text, start)[0] not in (
            _FEELING_VERBS
        ):
            return False  # a feeling without its verb before it ("I dag var Tyr glad")
        after = self.next_word(verb_end)
        if after and (after[0] in _SUBJECTS or after[0] in ROLE_WORDS or after[0][:1].isupper()):
            return False  # "Bagefter græd han", "Så råber Sofie": the subject is after it
        self.add(start, end, Kind.NAME, k.R_NAME_DOING)
        return True

    def no_person(self, low: str, start: int) -> bool:
        """Is the capitalised word ``low`` at ``start`` one that names no person where a
        name would stand (:meth:`age_stated`, :meth:`doing`): a function, family, role or
        quantity word, also an English plural of a role ("Doctors"), a pronoun, a day, a
        month, a time of the year or of the day ("Mandag Morgen"), a definite or plural
        form, or a word after a determiner?"""
        return (
            low in FUNCTION_WORDS
            or low in ROLE_WORDS
            or low in _SUBJECTS
            or low in _NOT_AGED
            or low in _NOT_SURNAMES  # months, weekdays, pronouns
            or low in _EN_MONTHS
            or low in _TIMES_OF_YEAR
            or (low.endswith("s") and (low[:-1] in ROLE_WORDS or low[:-1] in _PEOPLE))
            or self.definite_or_plural(low)
            or prev_word(self.text, start)[0].lower() in _DETERMINERS
        )

    def definite_or_plural(self, low: str) -> bool:
        """Is ``low`` a dictionary word's definite or plural form ("skolen", "naboer")?"""
        words = self.lex.words
        for ending in ("erne", "ene", "en", "et", "ne", "er"):
            if low.endswith(ending):
                stem = low[: -len(ending)]
                if len(stem) > 1 and (stem in words or stem + "e" in words):
                    return True
        return False

    def possessed_after(self, end: int) -> bool:
        """Is the word after ``end`` a family or role word ("... mor", "... lærer")?"""
        nxt = self.next_word(end)
        return bool(nxt and nxt[0] in ROLE_WORDS)

    def name_end(self, start: int, end: int, name_len: int) -> int:
        """Where the name in the word ``start``..``end`` ends when ``name_len`` of it is a
        known name: a possessive s stays outside ("Kims mor": "[navn]s mor"), but an s
        with no noun after it is the name's own ("Aleksandrs slår", "fortalte Ivars, at",
        "hos Rebeca Boros siden"): a genitive stands before what is owned."""
        stop = start + name_len
        if stop == end - 1 and self.text[stop] == "s" and not self.genitive_before(end):
            return end
        return stop

    def genitive_before(self, end: int) -> bool:
        """May the word ending at ``end`` be a genitive? Not before a comma, a full stop,
        a closing bracket or a line's end, nor before a function word, a verb or a
        capitalised word that is no role ("Kims nye cykel" may be; anything else written
        after it is left as it was)."""
        after = self.text[end : end + 1]
        if not after or after in _NO_GENITIVE_AFTER:
            return False
        if after != " ":
            return True
        nxt = self.next_word(end)
        if not nxt or nxt[1] - len(nxt[0]) != end + 1:
            return self.text[end + 1 : end + 2] not in _DASHES  # ("Laus - 13 år")
        word = nxt[0]
        # "moren, Osvalds Hoxha, der ...": a surname after it, no thing owned
        return not (word in _NOT_OWNED or (word[:1].isupper() and word.lower() not in ROLE_WORDS))

    def place_end(self, end: int) -> int:
        """Where a place found by its context up to ``end`` ends: with a second capitalised
        word that is no word and no name, followed by a space, a line's end or a comma or
        full stop ("Česká Skalice", "Nowe Miasto"), else at ``end``."""
        nxt = self.next_word(end)
        if (
            nxt
            and nxt[1] - len(nxt[0]) == end + 1
            and self.text[nxt[1] : nxt[1] + 2] in _PLACE_WORD_ENDS
            and nxt[0][:1].isupper()
            and not nxt[0].isupper()
            and nxt[0] not in self.lex.names
            and not self.is_word(nxt[0], nxt[0].lower())
        ):
            return nxt[1]
        return end

    def phrase_length(self, start: int, phrases: tuple[str, ...]) -> int:
        """The length of the first of ``phrases`` written at ``start`` (0 if none)."""
        window = self.facts.lower_slice(start, start + 60)
        for phrase in phrases:
            n = len(phrase)
            if window.startswith(phrase) and not window[n : n + 1].isalnum():
                return n
        return 0

    # -------------------------------------------------------------- the pass

    def scan(self) -> list[Candidate]:
        self.scan_words()
        text = self.text
        flagged = {text[c.start : c.end] for c in self.out if c.kind is Kind.NAME}
        for start, end in self.deferred:
            if text[start:end] in flagged:
                self.add(start, end, Kind.NAME, k.R_NAME)
        carried = carried_lower_names(flagged, self.lex)
        if carried:
            self.out.extend(lower_name_candidates(text, carried, self.out))
        return self.out

    def scan_words(self) -> None:
        """Every decision that the text's own words settle; what depends on the words of
        the whole text is left in :attr:`deferred` and :attr:`lower_words`."""
        text = self.text
        classes = _classes(self.lex)
        known = classes.get
        plain, skip = _PLAIN, _SKIP
        heads = _HEADS_AFTER_PLAIN
        sentence_end = _SENTENCE_END
        skip_until = 0
        for start, end in self.facts.capital_word_spans():  # _CAP_TOKEN's matches
            if start < skip_until:
                continue
            tok = text[start:end]
            cls = known(tok)
            if cls is None:
                cls = self.classify(tok)
                if len(classes) < 100_000:
                    classes[tok] = cls
            if cls is plain:
                doing_head = heads.get(text[end : end + 4])
                if doing_head is not None:
                    if (
                        not doing_head
                        and text.startswith(_AGE_VERBS, end)
                        and self.age_stated(tok, start, end)
                    ):
                        continue  # "Tyr er 5 år og bor hos farfar": a name here
                    doing = _DOING.match(text, end)  # ("Rain is crying": an age head too)
                    if doing and self.doing(tok.lower(), start, end, doing.end()):
                        continue  # "Eg græder hver aften": only a person cries
                # An ordinary word: only a role or type word before it can make it a name,
                # written before it with a space or a tab (see plain_word and after_role;
                # after a "." the word starts a sentence), and not at a sentence start.
                if start < 2 or text[start - 1] not in " \t":
                    if text[start - 1 : start] == "(" and self.bracketed_child(
                        tok.lower(), start, end
                    ):
                        self.add(start, end, Kind.NAME, k.R_NAME_AGE)  # "Barnet (Bob, 13)"
                    continue
                before = text[start - 2]
                if before in sentence_end:
                    continue
                if before not in _OPENERS or not _sentence_start(text, start):
                    self.plain_word(tok, start, end)
            elif cls is not skip:
                skip_until = self.capitalised(tok, start, end, cls)  # type: ignore[arg-type]
        self.lower_case()
        self.capitals_and_clubs()
        self.propagate()

    def capitals_and_clubs(self) -> None:
        """ "JENSEN METTE" (every word a name), nicknames ("kalder ham for Bubber") and
        clubs named by capitals or digits where the sentence is about a sport."""
        text, lex, low = self.text, self.lex, self.facts.low
        capitals = self.facts.capital_words
        for m in matches_at(_CAPS_NAME, text, capitals.capital_next):
            parts = m.group().split(" ")
            known = [part.capitalize() in lex.names for part in parts]
            if all(known) or (
                # "KOWALCZYK ILONA har ringet": a name and a word that is none, or words
                # that are none with a verb after them
                all(
                    is_known or (part.lower() not in lex.words and part.lower() not in lex.allowed)
                    for part, is_known in zip(parts, known, strict=True)
                )
                and (any(known) or self.followed_by_subject_cue(m.end()))
            ):
                self.add(m.start(), m.end(), Kind.NAME, k.R_NAME)
        if ", " in text:
            # "DOBRE, Medėja": a surname in capitals, a comma and a first name.
            for m in matches_at(_CAPS_SURNAME, text, capitals.capital_next):
                surname, first = m.group(1), m.group(2)
                first_low = first.lower()
                if surname.lower() in lex.allowed or first_low in lex.allowed:
                    continue
                if self.listed_surname_first(m.start(1), m.end(2), surname, first):
                    # a list's entry: both are the name ("kontakt: VRETENAR, Mile")
                    self.add(m.start(1), m.end(1), Kind.NAME, k.R_NAME)
                    self.add(m.start(2), m.end(2), Kind.NAME, k.R_NAME)
                elif surname.lower() not in lex.words and (
                    self.name_length(first) or not self.is_word(first, first_low)
                ):
                    self.add(m.start(1), m.end(1), Kind.NAME, k.R_NAME)
        if self.facts.has("kald"):
            for m in matches_after_cues(_NICKNAME, self.facts, ("kald",)):
                if m.group(1).lower() not in FUNCTION_WORDS:
                    self.add(m.start(1), m.end(1), Kind.NAME, k.R_NAME_ROLE)
        clubs = []
        for m in matches_at(_CLUB, text, capitals.club):
            if text[m.start() - 1 : m.start()] not in (" ", "\t"):
                continue  # the gap to the word before must be spaces or tabs (below)
            prep, _at, gap = _prev_word(text, m.start())
            if prep in _CLUB_PREPS and gap and not gap.strip(" \t"):
                clubs.append(m)
        # Is a sport or a club named anywhere? Asked only where a club's name may stand
        # (such places are few; the sport's words are many, and mostly not written).
        if clubs and self.facts.has_any(_SPORT_CUES):
            for m in clubs:
                club = m.group()
                if _AGE_GROUP.fullmatch(club):
                    continue  # "spiller fodbold i U13": the team of his age
                # Within the paragraph: the guard decides a paragraph by its own words.
                first = max(0, m.start() - 60)
                first = text.rfind("\n", first, m.start()) + 1 or first
                last = text.find("\n", m.end(), m.end() + 30)
                window = low[first : last if last != -1 else m.end() + 30]
                if club.lower() not in lex.allowed and any(cue in window for cue in _SPORT_CUES):
                    self.add(m.start(), m.end(), Kind.INSTITUTION, k.R_INSTITUTION, "[klub]")

    def listed_surname_first(self, start: int, end: int, surname: str, first: str) -> bool:
        """Is "SURNAME, First" (``start``..``end``) written as a list's entry, after a
        label's colon or at a line's start and ending the line, a clause or the entry
        ("kontakt: KISS, Elena", "kontakt: VRETENAR, Mile"; "HUSK, Emma skal ringes op" is
        no such)? Then both are the name, where the surname is no word or the first name
        is a known name or no word."""
        text = self.text
        surname_low = surname.lower()
        if surname_low in _CAPS_CUES or not (
            surname_low not in self.lex.words
            or self.name_length(first)
            or not self.is_word(first, first.lower())
        ):
            return False
        before = text[max(0, start - 2) : start]
        if before == ": ":
            label = _prev_word(text, start - 2)[0].lower()
            if label in VERBS or label in _SAY_VERBS:  # "Mor siger: STOP, Emma"
                return False
        elif not (start == 0 or before[-1:] == "\n" or before == "- "):
            return False
        after = text[end : end + 3]
        return after in ("", "\n") or after[:1] in ("\n", ";", ".") or after == " - "

    def propagate(self) -> None:
        """A name found once is a name wherever the note writes it again: at a sentence
        start ("Sol siger ..."), with a possessive s ("Kims mor"), in lower case when it
        is no word ("yusuf"), or capitalised when found in lower case ("mads" ... "Mads");
        and a capitalised word joined to a name by "og" ("Vild og Storm") or a nickname
        in brackets after it ("Mille (Mulle)") is a name too."""
        text, lex = self.text, self.lex
        names = [c for c in self.out if c.kind is Kind.NAME]
        if not names:
            return
        # Carried within its paragraph (line): a paragraph is then decided by its own
        # words, as the guard's ParagraphScanner scans it (paragraphs.py).
        #: Per line start, each written form -> how much of it is the name (a possessive
        #: s stays outside, "[navn]s far", as everywhere else).
        by_line: dict[int, dict[str, int]] = {}
        starts = set(map(_START, self.out))  # where a candidate starts already
        line_starts = _line_starts(text, names)
        #: Per (line start, name) whether the name is carried (decided once per line).
        carried: dict[tuple[int, str], bool] = {}
        #: Per name, how it is carried (the same on every line: see carried_forms).
        carried_forms: dict[str, tuple[bool, tuple[tuple[str, int], ...]] | None] = {}
        for cand in names:
            name = text[cand.start : cand.end]
            line_start = line_starts[cand.start]
            decided = carried.get((line_start, name))
            if decided is not None:  # the same name again on its line: its forms are known
                if decided:
                    self.joined_to(cand.start, cand.end, starts)
                continue
            carried[(line_start, name)] = False
            if name in carried_forms:
                how = carried_forms[name]
            else:
                how = carried_forms[name] = self.carried_forms(name)
            if how is None or (how[0] and cand.reason not in _SURE_REASONS):
                continue  # (a word found as a name by chance: elsewhere it is the word)
            carried[(line_start, name)] = True
            self.joined_to(cand.start, cand.end, starts)
            forms = by_line.setdefault(line_start, {})
            for form, length in how[1]:
                forms.setdefault(form, length)
        if not by_line:
            return
        # Inside a candidate found already nothing is added: the same name found twice
        # would break the joining of "Anne Sofie Jensen", and a name inside an
        # institution's name ("Børnehaven Mette") would join the next word to it.
        spans = sorted(map(_SPAN, self.out))
        span_starts = list(map(_START, spans))
        reach = list(accumulate(map(_END, spans), max))  # furthest end so far
        taken: set[int] = set()
        for line_start, forms in by_line.items():
            line_end = text.find("\n", line_start)
            if line_end == -1:
                line_end = len(text)
            line = text[line_start:line_end]
            if len(forms) <= 24:  # a paragraph names few people: a find per form is quick
                found = [
                    (at, forms[form])
                    for form in forms
                    if form in line
                    for at in _occurrences(line, form)
                ]
            else:  # one long line naming many: one pass over it, not one per form
                pattern = _forms_pattern(tuple(sorted(forms)))
                found = [(m.start(), forms[m.group()]) for m in pattern.finditer(line)]
            for at, length in found:
                start = line_start + at
                i = bisect_right(span_starts, start) - 1
                if (i >= 0 and reach[i] > start) or start in taken:
                    continue
                written = text[start : start + length]
                if written.islower() and written in lex.words:
                    # "min søn mads" ... "mads græder", but "skal bo hos", "hendes liv er",
                    # "lærerne rose Rose": a lower-case name that is also a word is carried
                    # only where a subject stands (a sentence's or a clause's start) and a
                    # verb follows.
                    prev, _at, gap = _prev_word(text, start)
                    prev_low = prev.lower()
                    if not (
                        (
                            not prev
                            or "," in gap
                            or prev_low in _SUBJECT_LEADS
                            or _sentence_start(text, start)
                        )
                        and self.followed_by_subject_cue(start + length)
                    ):
                        continue
                taken.add(start)
                stop = start + length
                if text[stop : stop + 1] == "s" and not text[stop + 1 : stop + 2].isalnum():
                    stop = self.name_end(start, stop + 1, length)  # ("Ernests far ... Ernests er")
                self.add(start, stop, Kind.NAME, k.R_NAME)

    def carried_forms(self, name: str) -> tuple[bool, tuple[tuple[str, int], ...]] | None:
        """How :meth:`propagate` carries the name written ``name``: None if it is not
        carried; else whether only a name found after a role word is carried (a word
        found as a name by chance is the word elsewhere), and each form it is looked for
        in with how much of it is the name (in the order the forms are looked for)."""
        lex = self.lex
        if not name.isalpha() or len(name) < 2:
            return None
        low = name.lower()
        known = name.capitalize() in lex.names
        stem = low[:-1] if low.endswith("s") else low
        if (
            low in _NOT_CARRIED
            or low in lex.allowed
            or stem in lex.allowed
            or low in TYPE_FIRST
            or low in TYPE_AFTER
            or low in lex.generic_institutions
        ):
            return None
        role_only = not known and (low in lex.words or self.is_word_form(low))
        variants = {name, name.capitalize(), name.upper() if len(name) > 3 else name}
        if low not in lex.allowed and low not in lex.lower_towns:
            # "Wojtek ... wojtek", "Trang ... trang har": a name found capitalised is
            # looked for in lower case too (a word only where a subject stands: propagate).
            variants.add(low)
        forms: list[tuple[str, int]] = []
        for variant in variants:
            forms.append((variant, len(variant)))
            if not variant.endswith("s"):
                forms.append((variant + "s", len(variant)))
        return role_only, tuple(forms)

    def joined_to(self, start: int, end: int, taken: set[int]) -> None:
        """The capitalised word on the other side of "og"/"and" from a name, and a
        capitalised word in brackets right after it."""
        text, lex = self.text, self.lex
        candidates: list[tuple[str, int]] = []
        # "og", "and", "eller", "or" and one space before: their last letter is asked
        # first (no other letter lowers to "g", "d" or "r"; most names follow none).
        if start > 1 and text[start - 2] in "gGdDrR" and text[start - 1] == " ":
            prev, _prev_start, gap = _prev_word(text, start)
        else:
            prev, _prev_start, gap = "", start, ""
        if gap == " " and prev.lower() in ("og", "and", "eller", "or"):
            before, before_start, gap2 = _prev_word(text, _prev_start)
            if gap2 in (" ", ", ") and not _sentence_start(text, before_start):
                candidates.append((before, before_start))
        elif (
            start > 1
            and text[start - 1] == " "
            and text[start - 2].islower()
            and text[text.rfind(" ", max(0, start - 40), start - 1) + 1].isupper()
        ):
            # A first name that is also a word right before a surname, after a
            # preposition ("hos Mile Vretenar", "med Lilla Nowak").
            prev, prev_start, gap = _prev_word(text, start)
            if (
                gap == " "
                and prev[:1].isupper()
                and not _sentence_start(text, prev_start)
                and prev.lower() not in _NOT_SURNAMES
                and prev.lower() not in _EN_MONTHS
                and prev.lower() not in _GREETINGS
                and prev not in self.lex.municipalities
                and not self.definite_or_plural(prev.lower())
                and _prev_word(text, prev_start)[0] in _BEFORE_FULL_NAMES
            ):
                candidates.append((prev, prev_start))
        nxt = self.next_word(end)
        if nxt and nxt[0].lower() in ("og", "and", "eller", "or"):
            after = self.next_word(nxt[1])
            if after:
                candidates.append((after[0], after[1] - len(after[0])))
        if (
            nxt
            and nxt[1] - len(nxt[0]) == end + 1
            and nxt[0][:1].isupper()
            and nxt[0].lower() not in _NOT_SURNAMES
        ):
            # A surname that is also a word right after a first name ("Kerttu Kiss").
            candidates.append((nxt[0], end + 1))
        if text[end : end + 2] == " (":
            close = text.find(")", end + 2, end + 40)
            inner = text[end + 2 : close] if close != -1 else ""
            if inner[:1].isupper() and inner.isalpha():
                candidates.append((inner, end + 2))
        for word, at in candidates:
            low = word.lower()
            if (
                at not in taken
                and word[:1].isupper()
                and not word.isupper()
                and (
                    low not in FUNCTION_WORDS
                    # "moren, Jovana Eller, der ...": a surname, capitalised, set off
                    or (
                        at == end + 1
                        and len(word) > 2
                        and text[at + len(word) : at + len(word) + 1] == ","
                    )
                )
                and low not in ROLE_WORDS
                and low not in lex.allowed
                and low not in lex.allowed_phrases
                and low not in TYPE_AFTER
                and low not in lex.generic_institutions
                and word not in lex.towns
                and not low.endswith(INSTITUTION_SUFFIXES)
                # ("Hans UNI-login er ...": a surname's parts are all capitalised)
                and not ("-" in word and not all(p[:1].isupper() for p in word.split("-")))
            ):
                taken.add(at)
                self.add(at, at + len(word), Kind.NAME, k.R_NAME)

    def classify(self, tok: str) -> _Info | str:
        """How much attention a capitalised word needs (the same for every occurrence):
        ``_SKIP``, ``_PLAIN`` or, for a closer look in context, what is known about it."""
        lex = self.lex
        low = tok.lower()
        if not tok[0].isupper() or (len(tok) > 1 and tok.isupper()) or len(tok) > _LONGEST:
            return _SKIP
        for apostrophe in ("'", "’"):
            if apostrophe in tok and tok.split(apostrophe, 1)[0].isupper():
                return _SKIP  # "SFO'en", "PPR's"
        if low in lex.allowed_phrases or low in lex.town_phrases:
            return self.info(tok, low)
        if low in lex.allowed or low in TITLES:
            # (a kept word that is a first name too, "Irma", is looked at in context)
            return self.info(tok, low) if tok in lex.names and low in lex.allowed else _SKIP
        base = tok[:-1] if tok.endswith("s") else tok
        if (
            low in lex.words
            and tok not in lex.towns
            and tok not in lex.municipalities
            and base not in lex.municipalities
            and low not in TYPE_AFTER
            and low not in lex.generic_institutions
            and low not in _EN_MONTHS
            and not self.name_length(tok)
        ):
            return _PLAIN
        return self.info(tok, low)

    def info(self, tok: str, low: str) -> _Info:
        """What is known about a capitalised word, without its context."""
        lex = self.lex
        word = low in lex.words
        base = tok if tok in lex.municipalities else tok[:-1] if tok.endswith("s") else ""
        return _Info(
            low=low,
            word=word,
            known_name=tok in lex.names,
            is_place=tok in lex.towns or low in lex.town_phrases,
            name_len=self.name_length(tok),
            # A name is often a short word with an ending or two short words joined
            # ("Guled": "gul" + "ed", "Warsame": "war" + "same"): a capitalised word counts
            # as a word form only with a stem or a first part of four letters or more.
            any_word=word or self.is_word(tok, low) or self.is_word_form(low, 4),
            institution=(
                low.endswith(INSTITUTION_SUFFIXES)
                and not word
                and low not in lex.generic_institutions
                and not low.startswith(("skole", "gymnas"))
            ),
            street=not word and low.endswith(STRONG_STREET_SUFFIXES) and len(low) >= 6,
            municipality=base if base in lex.municipalities else "",
        )

    def lower_case(self) -> None:
        """Names and towns written in lower case ("min søn oliver", "bor i aarhus"), and
        any unknown lower-case word after a role word ("min søn yazan")."""
        lex = self.lex
        # The text's words (split a piece at a time), each looked up once in a memo of what
        # it stands for here (a note repeats its words, and the scans of a note while it is
        # written do too).
        memo = _lower_tokens(lex)
        get = memo.__getitem__  # a method of one argument: faster than dict.get
        found = set(map(get, self.facts.words(_PIECE)))  # each word once
        found.discard("")
        self.lower_words = frozenset(found)
        self.lower_case_words(self.lower_words)
        if self.facts.has_any(_NAMED_CUES):
            self.named()
        for m in self.family_matches():
            word = m.group(1)
            if word in FUNCTION_WORDS:
                continue
            if word.capitalize() in lex.names or (
                word not in lex.allowed
                and word not in ROLE_WORDS
                and (
                    _AGE_NEXT.match(self.text, m.end(1))
                    or (word not in lex.words and self.verb_after(m.end(1)))
                )
            ):
                # "min søn warsame er 4", "min datter guled har det svært": whatever the
                # word looks like, where a name stands.
                self.add(m.start(1), m.end(1), Kind.NAME, k.R_NAME_LOWER)
        if self.facts.has_any(_QUESTION_LEADS):
            self.lower_names_after_leads()
        if self.facts.has_any(_TO_DAYCARE):
            self.taken_to_school()
        if "\n" in self.text or self.text[:1].islower() or self.text[:2] in _BULLETS:
            self.lower_names_at_line_starts()
        if self.facts.has_any(_GENITIVE_INSTITUTIONS):
            self.lower_genitive_institutions()

    def taken_to_school(self) -> None:
        """Who is driven, fetched or followed to school or daycare is a child: a lower-case
        first name or a word that is no word there ("kører selv jan i skole", "henter
        siku i børnehave"; "kører selv bilen i skole", "følger ham i skole" stay)."""
        lex = self.lex
        for m in matches_after_cues(_TAKEN, self.facts, _TAKEN_CUES):
            word = m.group(1)
            if not word.islower() or word in FUNCTION_WORDS or word in ROLE_WORDS:
                continue
            if word.capitalize() in lex.names or not (
                word in lex.words
                or word in lex.allowed
                or self.danish_compound(word)
                or self.definite_or_plural(word)
            ):
                self.add(m.start(1), m.end(1), Kind.NAME, k.R_NAME_LOWER)

    def lower_names_at_line_starts(self) -> None:
        """A first name that is also a word, in lower case at a line's or a list item's
        start before a verb ("- martin vil ikke i skole", "maria har det bedre"): a bare
        noun seldom starts a Danish clause, and the list starts with who it is about."""
        lex = self.lex
        text = self.text
        at = 0
        while at != -1:
            m = _LINE_START_WORD.match(text, at)
            at = text.find("\n", at)
            if at != -1:
                at += 1
            if m is None:
                continue
            word = m.group(1)
            if (
                word in lex.words
                and word.capitalize() in lex.names
                and word not in _NO_LINE_START_NAMES
                and not self.definite_or_plural(word)
                and self.verb_after(m.end(1))
                and not self.pronoun_after_verb(m.end(1))  # ("- frisk er han ikke")
            ):
                self.add(m.start(1), m.end(1), Kind.NAME, k.R_NAME_LOWER)

    def lower_names_after_leads(self) -> None:
        """A first name in lower case that is also a word, written capitalised in its
        paragraph too, where a subject stands after "hvordan", "fordi", ... and a verb
        follows ("Martin ... hvordan martin trækker sig"; "fordi sol skinner" stays, and
        after "at" such a word may be a verb: "at bo er dyrt"); and a name or an English
        word where only a person stands, before what only a person does ("hvordan ploy
        trækker sig", see :meth:`doing`), capitalised in the paragraph or not."""
        lex = self.lex
        for m in matches_after_cues(_AFTER_QUESTION_LEAD, self.facts, _QUESTION_LEADS):
            word = m.group(1)
            if (
                word not in lex.words
                or word in FUNCTION_WORDS
                or word in ROLE_WORDS
                or word in _DA_MONTHS
                or word in _TIMES_OF_YEAR
            ):
                continue
            known = word.capitalize() in lex.names
            if (
                known
                and self.capitalised_in_paragraph(word.capitalize(), m.start(1))
                and self.verb_after(m.end(1))
            ):
                self.add(m.start(1), m.end(1), Kind.NAME, k.R_NAME_LOWER)
            elif (known or word in lex.english_only) and (
                doing := _DOING.match(self.text, m.end(1))
            ):
                self.doing(word, m.start(1), m.end(1), doing.end())
                # "hvordan ploy trækker sig", "fordi marina græder": a name (or an English
                # word in a Danish clause) where only a person can stand.
                continue

    def capitalised_in_paragraph(self, name: str, at: int) -> bool:
        """Is ``name`` written as a word in the paragraph (line) around ``at``?"""
        text = self.text
        first = text.rfind("\n", 0, at) + 1
        last = text.find("\n", at)
        line = text[first : last if last != -1 else len(text)]
        return bool(_whole_words(line, name))

    def lower_genitive_institutions(self) -> None:
        """A school or daycare named in lower case by a genitive that is no dictionary
        word ("gået på rosenvængets skole"; "min søns skole", "byens børnehave" stay)."""
        text, lex, facts = self.text, self.lex, self.facts
        for cue in _GENITIVE_INSTITUTIONS:
            # In a long text a cue not written is known absent from the text's words (a
            # search of its vocabulary, not of the whole text); the text holds a cue (of
            # lower-case letters and a space) only where its lower-cased text does.
            if not facts.short and not facts.has(cue):
                continue
            at = text.find(cue)
            while at != -1:
                end = at + len(cue)
                if not text[end : end + 1].isalpha():
                    word, start, gap = prev_word(text, at + 1)
                    low = word[:-1]
                    if (
                        gap == ""
                        and word.islower()
                        and len(low) >= 4
                        and word not in lex.words
                        and low not in lex.words
                        and low not in lex.allowed
                        and low not in lex.generic_institutions
                        and not low.endswith(_FAMILY_ENDINGS)  # "bonusbrors skole"
                    ):
                        self.add(start, end, Kind.INSTITUTION, k.R_INSTITUTION,
                                 institution_placeholder(cue))  # fmt: skip
                at = text.find(cue, end)

    def family_matches(self) -> list[re.Match[str]]:
        """What ``_FAMILY_LOWER.finditer(text)`` finds. In a long text it is tried only
        before the family words the text has as a word of their own: the possessive
        ("min", "hans", ...) is common, the family word followed and preceded by a space
        or a tab is less so, and one look at the text's words tells which are there."""
        facts = self.facts
        if facts.short or not facts.low_aligned:
            return list(matches_after_cues(_FAMILY_LOWER, facts, _FAMILY_CUES))
        # The family words among the text's words (lower-cased, each once, between spaces).
        words = f" {facts.vocabulary} "
        present = [family for family in _FAMILY_WORDS if f" {family} " in words]
        if not present:
            return []
        low, text = facts.low, self.text
        blanks = (" ", "\t")
        tabs = "\t" in low
        starts: set[int] = set()
        for family in present:
            n = len(family)
            # Without a tab in the text, a word between blanks is one between spaces.
            sought = family if tabs else f" {family} "
            at = low.find(sought)
            while at != -1:
                if not tabs:
                    at += 1
                if low[at - 1 : at] in blanks and low[at + n : at + n + 1] in blanks:
                    # The match can only start where the run of letters and digits
                    # before the blanks starts (none may stand before a match).
                    gap = at - 1
                    while gap > 0 and low[gap - 1] in blanks:
                        gap -= 1
                    first = gap
                    while first > 0 and text[first - 1].isalnum() and gap - first < _LONGEST_CUE:
                        first -= 1
                    starts.add(first)
                at = low.find(sought, at + 1)
        return matches_at(_FAMILY_LOWER, text, sorted(starts)) if starts else []

    def lower_word(self, token: str) -> str:
        """The word that ``token`` (as :meth:`str.split` gives it) stands for among the
        lower-case words looked for (see :meth:`lower_case`), or "" if none."""
        lex = self.lex
        word = token.strip(_STICKY)
        if (
            word.endswith(_LOWER_INSTITUTION_SUFFIXES)
            and word.isalpha()
            and word.islower()
            and word not in lex.words
            and word not in lex.generic_institutions
            and len(word) <= _LONGEST
        ):
            return word
        if word in lex.lower_hits or (
            word not in lex.words
            and 3 <= len(word) <= _LONGEST
            and word[0].islower()
            and word.isalpha()
            and word not in lex.allowed
            and not (self.is_word_form(word) and self.one_language_form(word))
        ):
            return word
        return ""

    def one_language_form(self, low: str) -> bool:
        """Is ``low`` (a word form by :meth:`is_word_form`) one language's word form: a
        stem with an ending of its own language, or two words joined? A lower-case name
        may only look like a word by an English ending on a Danish stem ("gul" + "ed")."""
        words = self.lex.words
        english = self.lex.english_only
        for ending in _ENDINGS:
            if low.endswith(ending) and len(low) - len(ending) >= 3:
                stem = low[: -len(ending)]
                for form in (stem, stem + "e"):
                    if form in words and (ending not in _ENGLISH_ENDINGS or form in english):
                        return True
        return self.is_compound(low)

    def lower_case_words(self, words: Iterable[str]) -> None:
        """Wherever one of ``words`` (see :meth:`lower_case`) stands as a word."""
        lex = self.lex
        text = self.text
        words = list(words)
        # A search per word reads the whole text each time: a long text with thousands of
        # unknown lower-case words (typing errors, slang) would take quadratic time.
        many = _occurrences_of_many(text, words) if len(words) > _MANY_WORDS else {}
        for word in words:
            found = many[word] if word in many else _occurrences(text, word)
            for start in found:
                stop = start + len(word)
                if word.endswith(_LOWER_INSTITUTION_SUFFIXES) and word not in lex.lower_names:
                    self.add(start, stop, Kind.INSTITUTION, k.R_INSTITUTION,
                             institution_placeholder(word))  # fmt: skip
                elif word in lex.lower_names:
                    self.add(start, stop, Kind.NAME, k.R_NAME_LOWER)
                elif word in lex.lower_towns:
                    self.add(start, stop, Kind.PLACE, k.R_PLACE)
                else:
                    prev, _start, gap = _prev_word(text, start)
                    prev_low = prev.lower()
                    if self.after_role(prev_low, gap):
                        self.add(start, stop, Kind.NAME, k.R_NAME_ROLE)
                    elif (
                        not prev or prev_low in _SUBJECT_LEADS or _sentence_start(text, start)
                    ) and self.verb_after(stop):
                        # "hlib har det bedre", "at hashiki ser mormor": a word that is no
                        # word where a subject stands, a verb after it.
                        self.add(start, stop, Kind.NAME, k.R_NAME_LOWER)

    def plain_word(self, tok: str, start: int, end: int) -> None:
        """A dictionary word mid-sentence: "Børnehaven Solsikken", "lærer Sky"."""
        prev, prev_start, gap = _prev_word(self.text, start)
        prev_low = prev.lower()
        if prev_low in TYPE_FIRST and gap == " ":
            self.add(prev_start, end, Kind.INSTITUTION, k.R_INSTITUTION,
                     institution_placeholder(prev_low))  # fmt: skip
        elif (
            self.after_role(prev_low, gap)
            or (gap == ", " and self.apposition(prev_low, gap, end))
            or (
                prev_low in ("og", "and")
                and self.beside_role(prev_low, prev_start, gap, tok.lower())
            )
        ) and tok.lower() not in FUNCTION_WORDS:
            self.add(start, end, Kind.NAME, k.R_NAME_ROLE)
        elif not self.by_context(start, end, tok.lower()) and (
            self.subject_word(tok.lower(), prev_low, gap, end)
            or self.inverted_subject(tok.lower(), prev_low, gap, end)
            or self.bracketed_child(tok.lower(), start, end)
        ):
            self.add(start, end, Kind.NAME, k.R_NAME)

    def bracketed_child(self, low: str, start: int, end: int) -> bool:
        """Is the word a child's name given in brackets with an age after a word for the
        child ("Barnet (Bob, 13) er bange", "Drengen (Roman, 11)")?"""
        text = self.text
        if text[start - 1 : start] != "(" or not _BRACKET_AGE_CLOSE.match(text, end):
            return False
        before, _at, _gap = _prev_word(text, start - 1)
        before = before.lower()
        return (before in _CHILD_WORDS or before in ROLE_WORDS) and not self.no_person(low, start)

    def inverted_subject(self, low: str, prev_low: str, gap: str, end: int) -> bool:
        """Is a capitalised word mid-sentence someone who says or has it a certain way,
        after the verb ("fortalte Lovely, at ...", "har Roman det bedst")? Only a person
        stands there; a noun capitalised by a slip would be written "Matematik er ..."."""
        text = self.text
        if gap != " ":
            return False
        if prev_low in _SAY_VERBS:
            if not text.startswith(", at ", end):
                return False
        elif prev_low in _STAY_VERBS:
            if not text.startswith(_AT_FAMILY, end):
                return False  # "I weekenden var Roman hos sin far"
        elif prev_low not in _HAVE_VERBS or not text.startswith(" det ", end):
            return False
        return not (
            low in FUNCTION_WORDS
            or low in ROLE_WORDS
            or low in _SUBJECTS
            or low in _NOT_SURNAMES
            or low in _TIMES_OF_YEAR
            or low in _EN_MONTHS
            or low in self.lex.generic_institutions
            or low in TYPE_AFTER
            or self.definite_or_plural(low)  # "har Familien det bedre"
        )

    def subject_word(self, low: str, prev_low: str, gap: str, end: int) -> bool:
        """Is a capitalised English word mid-sentence a name where a subject stands in a
        Danish sentence ("at Ploy er stille", "da Lovely kom hjem")? (A Danish noun
        capitalised by a slip is no name: "at Matematik er svært".)"""
        return (
            gap == " "
            and prev_low in _SUBJECT_LEADS
            and low in self.lex.english_only
            and prev_low not in _EN_LEADS
            and not low.endswith(("en", "et", "ne", "n"))
            and low not in ROLE_WORDS
            and low not in _SUBJECTS
            and low not in FUNCTION_WORDS
            and low not in self.lex.generic_institutions
            and low not in _NOT_SURNAMES
            and low not in _EN_MONTHS
            and self.verb_after(end)
        )

    def after_a_town(self, before: str, prep: str) -> bool:
        """Is ``before`` (the word before the preposition ``prep``) a town, and ``prep`` one
        of "fra", "til", "from", "to": then the word after is a place too ("flyttet til
        Tórshavn fra Artern", "from Leeds to Burg")."""
        return prep in ("fra", "til", "from", "to") and before in self.lex.towns

    def by_context(self, start: int, end: int, low: str) -> int:
        """A capitalised word that the sentence names as the child's institution ("går i
        Humlebien", "hentes i Kastanjen", "Skolen ved Mosen") or as where someone lives
        ("bor i Bispehaven", "flyttede til Tarup"); the offset it ends at, 0 if neither."""
        text = self.text
        # Most capitalised words follow no such preposition: tell by the few characters
        # before the word, before any look-up.
        space = start - 1
        if space < 1 or text[space] != " ":
            return 0
        before = text.rfind(" ", max(0, space - 5), space)  # ("from": four letters)
        if before == -1 and space > 4:
            return 0
        if text[before + 1 : space].lower() not in _CONTEXT_PREPS:
            return 0
        lex = self.lex
        if (
            low in FUNCTION_WORDS
            or low in TYPE_AFTER
            or low in lex.generic_institutions
            or low in _EN_MONTHS
            or low in ROLE_WORDS
        ):
            return 0
        prev, prev_start, gap = _prev_word(text, start)
        prev_low = prev.lower()
        if gap != " " or (prev_low not in _DWELL_PREPS and prev_low != "ved"):
            return 0
        verb, verb_start, gap2 = _prev_word(text, prev_start)
        if gap2 != " ":
            return 0
        verb_low = verb.lower()
        if prev_low in ("ved", "på") and verb[:1].isupper() and verb_low in TYPE_AFTER:
            # "Skolen ved Skoven": named by a place, an ordinary one too.
            self.add(verb_start, end, Kind.INSTITUTION, k.R_INSTITUTION,
                     institution_placeholder(verb_low))  # fmt: skip
            return end
        if text.startswith(", ", end) and prev_low in ("i", "på", "fra"):
            # "meldt ind i Kælderen, ungdomsklubben i byen": its kind after a comma.
            kind = self.next_word(end + 1)
            if kind and (kind[0] in lex.generic_institutions or kind[0] in TYPE_AFTER):
                self.add(start, end, Kind.INSTITUTION, k.R_INSTITUTION,
                         institution_placeholder(kind[0]))  # fmt: skip
                return end
        if low in _COMMON_PLACES and not (
            low in _CLUB_ROOMS and self.text.startswith(" til kl", end)
        ):
            # (but "er han i Kælderen til kl. 17": a club, capitalised, with its hours)
            return 0
        if verb_low in ("here", "hertil", "hid") and prev_low in ("fra", "from"):
            # "moved here from Artern", "flyttede hertil fra Hover"
            before_verb, _at, gap3 = _prev_word(text, verb_start)
            if gap3 == " " and before_verb.lower() in _DWELL_VERBS:
                verb_low = before_verb.lower()
        if verb_low in _SUBJECTS:
            # "er han i Basen", "går hun i Spiren": the verb before the subject.
            before_verb, _at, gap3 = _prev_word(text, verb_start)
            if gap3 == " " and before_verb.lower() in _AFTER_SUBJECT_VERBS:
                verb_low = before_verb.lower()
        if low in lex.words and not low.endswith(("en", "et", "n", "ne")):
            # An institution named by a plain word is named in the definite form
            # ("Kastanjen", "Spiloppen"): "går i Panik", "går i Sort" are no names. A
            # town may be any word: "flyttet til Hover", "bor i Stade", "tæt på Sande"
            # (but "kom i Tvivl").
            if (
                (
                    verb_low in _DWELL_VERBS
                    and (
                        prev_low in ("i", "til", "fra", "in", "to", "from")
                        or (prev_low == "på" and verb_low == "tæt")
                    )
                    and not (prev_low == "i" and verb_low in ("kom", "kommer", "came", "comes"))
                )
                # "dad is from Bar", "er hun i Hover hos farmor"
                or (prev_low in ("fra", "from") and verb_low in _BE_VERBS)
                or (prev_low == "i" and verb_low in _BE_VERBS and text.startswith(" hos ", end))
                or self.after_a_town(verb, prev_low)
            ):
                self.add(start, end, Kind.PLACE, k.R_PLACE)
                return end
            if (prev_low in ("i", "på") and verb_low in _STAFF) or (
                prev_low == "fra"
                and (verb_low == "hjem" or verb_low in _FETCH_VERBS)
                and not low.endswith(_OUTINGS)
                and self.is_compound(low)
            ):
                # "pædagogerne i Tusindfryd": any word; "kom hjem fra Tusindfryd": a
                # compound that names no outing ("kom hjem fra Arbejde", "fra
                # Fodboldtræning" stay).
                self.add(start, end, Kind.INSTITUTION, k.R_INSTITUTION, "[institution]")
                return end
            return 0
        if (
            (prev_low in ("i", "på") and (verb_low in _ATTEND_VERBS or verb_low in _STAFF))
            or (prev_low == "i" and verb_low in _BE_VERBS)
            or (prev_low == "fra" and (verb_low == "hjem" or verb_low in _FETCH_VERBS))
        ) and not self.text.startswith("- ", end):  # ("indlagt på Børne- og ...")
            self.add(start, end, Kind.INSTITUTION, k.R_INSTITUTION, "[institution]")
            return end
        if (
            (prev_low != "ved" and verb_low in _DWELL_VERBS)
            or (prev_low in ("fra", "from") and verb_low in _BE_VERBS)  # "dad is from Sieradz"
            or self.after_a_town(verb, prev_low)
        ):
            end = self.place_end(end)
            self.add(start, end, Kind.PLACE, k.R_PLACE)
            return end
        return 0

    def named(self) -> None:
        """A word after "hedder", "kaldet", "named" is a name, also in lower case."""
        for m in matches_after_cues(_NAMED, self.facts, _NAMED_STARTS):
            cue, word = m.group(1).lower(), m.group(2)
            low = word.lower()
            if low in FUNCTION_WORDS:
                continue
            capitalised = word[:1].isupper()
            known = bool(self.name_length(word if capitalised else word.capitalize()))
            strong = cue in ("hedder", "hed", "navnet", "name is")
            if known or (capitalised and (strong or not self.is_word(word, low))):
                self.add(m.start(2), m.end(2), Kind.NAME, k.R_NAME_ROLE)

    def capitalised(self, tok: str, start: int, end: int, info: _Info) -> int:
        """Decide about one capitalised word; return the offset up to which to skip."""
        lex = self.lex
        text = self.text
        low = info.low

        phrases = lex.allowed_phrases.get(low)
        if phrases:
            n = self.phrase_length(start, phrases)
            if n:
                return start + n
        if low in lex.allowed or (len(tok) > 1 and tok.isupper()):
            if low in lex.allowed and tok in lex.names and self.allowed_as_name(start, end):
                self.add(start, end, Kind.NAME, k.R_NAME_ROLE)  # "says teacher Irma"
            return end
        if low in TYPE_AFTER:
            self.institution_before(tok, start, end)
            return end
        word = info.word
        known_name = info.known_name
        is_place = info.is_place
        if (
            not known_name
            and low.endswith("s")
            and not is_place  # "Gentoftes læge", "bor i Aarhus"
            and (self.possessive(tok, info, end) or self.english_owner(tok, info, start, end))
        ):
            # "Toves far", "Brandurs mor ringede", "at Warsames far", "Angavu's mum": a
            # name with a possessive s (a word too, "toves", or no word at all) before a
            # family or role word, also at a sentence start.
            owner = len(tok) - (2 if tok.endswith(("'s", "’s")) else 1)
            self.add(start, start + (info.name_len or owner), Kind.NAME, k.R_NAME)
            return end
        if word and not known_name and not is_place and low not in lex.generic_institutions:
            if not _sentence_start(text, start):
                self.plain_word(tok, start, end)
            return end

        sentence_start = _sentence_start(text, start)
        prev, prev_start, gap = _prev_word(text, start)
        prev_low = prev.lower()

        # Institutions: "Børnehaven Solsikken", "Rigshospitalet", "Vestervangskolen".
        if prev_low in TYPE_FIRST and gap == " " and not sentence_start:
            self.add(prev_start, end, Kind.INSTITUTION, k.R_INSTITUTION,
                     institution_placeholder(prev_low))  # fmt: skip
            return end
        if info.institution:
            self.add(start, end, Kind.INSTITUTION, k.R_INSTITUTION, institution_placeholder(low))
            return end

        # Municipalities: "Aarhus Kommune", "Københavns Kommune".
        base = info.municipality
        if base:
            nxt = self.next_word(end)
            if nxt and nxt[0].lower() in _MUNICIPALITY_WORDS:
                region = lex.municipalities[base]
                self.add(start, nxt[1], Kind.MUNICIPALITY, k.R_MUNICIPALITY,
                         k.municipality_placeholder(region))  # fmt: skip
                return nxt[1]

        # A street without a number: "bor på Nørrebrogade".
        if info.street:
            self.add(start, end, Kind.ADDRESS, k.R_ADDRESS)
            return end

        role = (
            self.after_role(prev_low, gap)
            # (each rule's first test asked here: most words meet none)
            or (gap == ", " and self.apposition(prev_low, gap, end))
            or (text[start - 2 : start] == ": " and self.labelled(start))
            or (prev_low in ("og", "and") and self.beside_role(prev_low, prev_start, gap, low))
        )
        name_len = info.name_len
        name_stop = start + name_len  # (a name's own s: see name_end)
        if name_len and name_stop == end - 1:
            name_stop = self.name_end(start, end, name_len)

        # Towns and districts.
        if is_place and not (sentence_start and word) and not role:
            place_end = 0
            phrases = lex.town_phrases.get(low)
            if phrases:
                n = self.phrase_length(start, phrases)
                if n:
                    place_end = start + n
            # A town that is also a surname ("Rønne") is a place after "i", "fra", ...
            if (
                not place_end
                and tok in lex.towns
                and not (known_name and prev_low not in PLACE_PREPS)
            ):
                place_end = end
            if place_end:
                nxt = self.next_word(place_end)
                if nxt and nxt[0] in _DISTRICT_CODES and not text[nxt[1] : nxt[1] + 1].isalnum():
                    place_end = nxt[1]
                self.add(start, place_end, Kind.PLACE, k.R_PLACE)
                return place_end

        if not role and not sentence_start and (not known_name or is_place):
            context_end = self.by_context(start, end, low)
            if context_end:
                return context_end

        # People.
        if not role and self.month_as_time(low, start, end):
            return end  # "men August var svær", "August was a hard month"
        if low in _EN_MONTHS and not role:
            nxt = self.next_word(end)
            if prev_low in _MONTH_CONTEXT or prev[:1].isdigit() or (nxt and nxt[0][:1].isdigit()):
                return end
            if not name_len:
                return end
        if role and low not in FUNCTION_WORDS:
            self.add(start, name_stop if name_len else end, Kind.NAME, k.R_NAME_ROLE)
            return end
        if not sentence_start:
            if name_len:
                self.add(start, name_stop, Kind.NAME, k.R_NAME)
            elif (
                not info.any_word
                and text[end : end + 2] != "- "  # "Børne- og Familie..."
                and not self.owned_by_a_thing(tok, prev_low)  # "the Doctor's mum"
            ):
                self.add(start, end, Kind.NAME, k.R_NAME_UNKNOWN)
            elif not word and self.inverted_subject(low, prev_low, gap, end):
                # "fortalte Viesturs, at ...": no dictionary word (it only looks like one
                # with an ending), where only a person stands
                self.add(start, end, Kind.NAME, k.R_NAME_UNKNOWN)
            elif (
                not word
                and low.endswith(_PLACE_NAME_ENDINGS)
                and prev_low in _PLACE_ONLY_PREPS
                and gap == " "
                and not role
                and text[end : end + 1] != "-"
            ):
                # "holder ferie i Hvilsted", "kom fra Halmstad": a capitalised word that
                # is no dictionary word, only looks like two joined, with a place name's
                # ending, after "i"/"fra"/"til".
                self.add(start, end, Kind.PLACE, k.R_PLACE)
            elif (
                not word
                and tok.isalpha()  # ("og SFO-pædagogen siger")
                and gap == " "
                and prev_low in _SUBJECT_LEADS
                and prev_low not in _EN_LEADS  # ("because Maths is boring")
                and text[end : end + 1] == " "
                and self.verb_after(end)
                and not self.possessed_after(end)  # ("at Familieretshusets rådgiver")
            ):
                # "bemærket, at Liene er mere stille": no dictionary word (it only looks
                # like two joined), where a subject stands, a verb after it.
                self.add(start, end, Kind.NAME, k.R_NAME_UNKNOWN)
            elif (
                not word
                and tok.isalpha()
                and tok[1:].islower()
                and (self.aged_oddly_joined(low, end) or self.bracketed_child(low, start, end))
            ):
                self.add(start, end, Kind.NAME, k.R_NAME_UNKNOWN)
            elif not word and tok.isalpha() and tok[1:].islower():
                self.odd_word_doing(low, start, end)
            return end
        is_word = info.any_word
        if name_len and not is_word:
            self.add(start, name_stop, Kind.NAME, k.R_NAME)
        elif (
            not is_word
            and low.endswith("s")
            and self.possessed_after(end)
            and not self.owned_by_a_thing(tok, "")  # "Mum's sister"
        ):
            # "Nimcos mor ringede": a word that is none, with a possessive s and a family or
            # role word after it.
            self.add(start, end - 1, Kind.NAME, k.R_NAME)
        elif low in _MONTH_NAMES and self.subject_after_verb(end):
            # "August kommer farfar", "Juni var hun syg": a month before the verb, the
            # subject after it.
            return end
        elif (
            not name_len
            and text.startswith(_AGE_VERBS, end)
            and self.age_stated(tok, start, end)  # (added there)
        ):
            # "Boleslav is 17 and ...": no dictionary word, only looks like one or two
            return end
        elif self.followed_by_subject_cue(end):
            if name_len:
                self.add(start, name_stop, Kind.NAME, k.R_NAME)
            elif not is_word or (
                not word
                and tok.isalpha()
                and tok[1:].islower()
                and self.aged_oddly_joined(low, end)
            ):
                self.add(start, end, Kind.NAME, k.R_NAME_UNKNOWN)
            elif not word and tok.isalpha() and tok[1:].islower():
                self.odd_word_doing(low, start, end)  # "Boleslav (9) græder"
        elif name_len and not self.joined_to_a_word(end):
            self.deferred.append((start, name_stop))
        return end

    def allowed_as_name(self, start: int, end: int) -> bool:
        """Does a kept word that is a first name too ("Irma", a shop) stand after a role
        word ("lærer Irma", "teacher Irma"), after a name and "og" ("Anita og Irma") or
        before a surname ("Irma Oyekan": a name or no word, capitalised)?"""
        text = self.text
        nxt = self.next_word(end)
        if nxt and nxt[0][:1].isupper() and nxt[0][1:].islower():
            surname = nxt[0]
            low = surname.lower()
            if low not in self.lex.allowed and (
                (surname in self.lex.names and low not in self.lex.words)
                or not (self.is_word(surname, low) or self.is_word_form(low))
            ):
                return True
        prev, prev_start, gap = _prev_word(text, start)
        prev_low = prev.lower()
        if gap != " ":
            return False
        if prev_low in ("og", "and"):
            other, _at, gap2 = _prev_word(text, prev_start)
            return (
                gap2 == " "
                and other[:1].isupper()
                and other in self.lex.names
                and other.lower() not in self.lex.allowed
                and other.lower() not in self.lex.words
            )
        return prev_low in ROLE_WORDS

    def odd_word_doing(self, low: str, start: int, end: int) -> None:
        """A capitalised word that is no dictionary word (it only looks like two joined,
        "Bole" + "slav") before what only a person does ("Boleslav (9) græder"): a name
        (added by :meth:`doing`); not a definite or plural form ("Elevrådet råber")."""
        if low.endswith(("en", "et", "ne", "erne", "er")):
            return
        doing = _DOING.match(self.text, end)
        if doing:
            self.doing(low, start, end, doing.end())

    def possessive(self, tok: str, info: _Info, end: int) -> bool:
        """Is ``tok`` (ending in s) a name's possessive before a family or role word: a
        known name, or no word, no allowed name, place, institution or municipality?"""
        lex = self.lex
        owner = tok[:-2] if tok.endswith(("'s", "’s")) else tok[:-1]
        return bool(
            (
                info.name_len
                or (
                    not info.word
                    and len(owner) > 2
                    and owner[1:].isalpha()
                    and owner.lower() not in lex.words  # ("the Doctor's mum")
                )
            )
            and tok[1:].islower()
            and info.low not in FUNCTION_WORDS
            and owner.lower() not in lex.allowed  # "Psykiatrifondens rådgiver"
            and not info.institution  # "Rigshospitalets læge"
            and not info.municipality
            and self.possessed_after(end)
        )

    def owned_by_a_thing(self, tok: str, prev_low: str) -> bool:
        """Is ``tok`` an English possessive of a role ("Mum's", "Dad's") or, after an
        article or a pronoun, of any word ("the Doctor's", "her Coach's")?"""
        if not tok.endswith(("'s", "’s")):
            return False
        owner = tok[:-2].lower()
        return owner in ROLE_WORDS or (prev_low in _EN_DETERMINERS and owner in self.lex.words)

    def english_owner(self, tok: str, info: _Info, start: int, end: int) -> bool:
        """Is ``tok`` a word's English possessive before a family word, with no article
        or pronoun before it ("Spoke with Roman's mum", "Safari's dad"; not "the Doctor's
        mum", "Mum's sister")? A capitalised word owns a mother only as a name."""
        if not tok.endswith(("'s", "’s")) or not tok[1:-2].islower() or len(tok) < 5:
            return False
        owner = tok[:-2].lower()
        if (
            owner in ROLE_WORDS
            or owner in FUNCTION_WORDS
            or owner in _NOT_SURNAMES
            or owner in _EN_MONTHS
            or owner in _TIMES_OF_YEAR
            or info.institution
            or info.municipality
        ):
            return False
        nxt = self.next_word(end)
        if not nxt or nxt[0] not in _EN_FAMILY:
            return False
        prev = _prev_word(self.text, start)[0].lower()
        return prev not in _EN_DETERMINERS

    def beside_role(self, prev_low: str, prev_start: int, gap: str, low: str) -> bool:
        """Does "og"/"and" after a family or role word stand before the word ``low``
        ("mor og Tea"; not "mor og Far", "far og Skolen")?"""
        if gap != " " or prev_low not in ("og", "and") or low in ROLE_WORDS:
            return False
        if low.endswith(("en", "et")) and low in self.lex.words:
            return False  # "mor og Familien", "far og Arbejdet": a noun's definite form
        if low in self.lex.generic_institutions or low in _COMMON_PLACES or low in TYPE_AFTER:
            return False
        role, _at, gap2 = _prev_word(self.text, prev_start)
        return gap2 == " " and role.lower() in ROLE_WORDS

    def labelled(self, start: int) -> bool:
        """Does a label and a colon stand before ``start`` ("Opringer: ", "Barn: ")?"""
        text = self.text
        if text[start - 2 : start] != ": ":
            return False
        label, _at, gap = _prev_word(text, start - 2)
        return not gap and label.lower() in _NAME_LABELS

    def apposition(self, prev_low: str, gap: str, end: int) -> bool:
        """Is the word that ends at ``end`` a name set off by commas after a role or family
        word ("mor, Canal, siger ...", "far, Hope, er ...")?"""
        if gap != ", " or prev_low not in ROLE_WORDS or prev_low in ("ven", "friend"):
            return False
        text = self.text
        if text[end : end + 1] == ",":
            return True
        # "moren, Ploy Celms, der ...": a surname before the comma.
        nxt = self.next_word(end)
        return bool(
            nxt
            and nxt[1] - len(nxt[0]) == end + 1
            and nxt[0][:1].isupper()
            and text[nxt[1] : nxt[1] + 1] == ","
        )

    def after_role(self, prev_low: str, gap: str) -> bool:
        if prev_low in ROLE_WORDS:
            return gap in (" ", "  ", "\t")
        if prev_low in TITLES:
            return gap.strip(" \t") in ("", ".")
        return False

    def institution_before(self, tok: str, start: int, end: int) -> None:
        """``tok`` is a type word ("Skole"): take in the capitalised name before it."""
        if not tok[:1].isupper():
            return
        text = self.text
        first = start
        taken = 0
        while taken < 4:
            prev, prev_start, gap = _prev_word(text, first)
            if gap != " " or not prev[:1].isupper() or prev.lower() in FUNCTION_WORDS:
                break
            if prev.lower() in self.lex.allowed or prev.lower() in TYPE_AFTER:
                break
            first = prev_start
            taken += 1
            if _sentence_start(text, prev_start):
                break
        if taken:
            self.add(first, end, Kind.INSTITUTION, k.R_INSTITUTION,
                     institution_placeholder(tok.lower()))  # fmt: skip


_SKIP, _PLAIN = "skip", "plain"
#: A candidate's (start, end), start and end, by C code (no Python function per candidate).
_SPAN = itemgetter(0, 1)
_START = itemgetter(0)
_END = itemgetter(1)


class _Info(NamedTuple):
    """What is known about a capitalised word regardless of where it stands."""

    low: str
    word: bool  # a dictionary word as written
    known_name: bool
    is_place: bool
    name_len: int  # see _Scanner.name_length
    any_word: bool  # a dictionary word, allowed, or a word form / compound
    institution: bool  # "Vestervangskolen", "Rigshospitalet"
    street: bool  # "Nørrebrogade"
    municipality: str  # the municipality it names ("Københavns" -> "København") or ""


#: How many characters of a long text :meth:`_Scanner.lower_case` splits into words at once
#: (through ``TextFacts.words``, which the pattern detectors share).
_PIECE = WORD_PIECE
#: No name or word of interest is longer; longer tokens are skipped (bounded work).
_LONGEST = 48
#: Inflection endings tried when a word is not in the dictionary as written.
_ENDINGS = (
    "r", "s", "e", "n", "t", "en", "er", "et", "es", "ne", "de", "te", "ede", "ene", "ere",
    "est", "ste", "ende", "erne", "ernes", "ens", "ets", "ing", "ed", "ly",
)  # fmt: skip
#: Endings of :data:`_ENDINGS` that only an English stem takes.
_ENGLISH_ENDINGS = frozenset({"ed", "ly"})


@cache
def _classes(lex: Lexicon) -> dict[str, _Info | str]:
    """Per lexicon, a memo of :meth:`_Scanner.classify` (capitalised word -> class)."""
    return {}


@cache
def _word_forms(lex: Lexicon) -> dict[str | tuple[str, int], bool]:
    """Per lexicon, a memo of :meth:`_Scanner.is_word_form`."""
    return {}


class _LowerTokens(dict[str, str]):
    """A memo of :meth:`_Scanner.lower_word` that works out the words it lacks."""

    def __init__(self, lex: Lexicon) -> None:
        super().__init__()
        self.lex = lex

    def __missing__(self, token: str) -> str:
        word = _Scanner(token, self.lex).lower_word(token)
        if len(self) < 100_000:
            self[token] = word
        return word


@cache
def _lower_tokens(lex: Lexicon) -> _LowerTokens:
    """Per lexicon, a memo of :meth:`_Scanner.lower_word`."""
    return _LowerTokens(lex)


@cache
def _name_lengths(lex: Lexicon) -> dict[str, int]:
    """Per lexicon, a memo of :meth:`_Scanner.name_length`."""
    return {}


@lru_cache(maxsize=256)
def _forms_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``forms`` as a whole word (longest first; the paragraphs of a long text
    name the same people again and again, so the pattern is made once for them)."""
    # (?<![^\W_]) after each form, not before them all: led by the forms' letters, the
    # pattern lets the regex engine skip to where one may start (a look-behind first would
    # make it try every form at every character).
    return re.compile(
        "(?:"
        + "|".join(
            f"{re.escape(form)}(?<![^\\W_]{re.escape(form)})"
            for form in sorted(forms, key=len, reverse=True)
        )
        + r")(?![^\W_]|[-'’][^\W_])"
    )


def forget_seen_words() -> None:
    """Drop the memos of the words the scans have seen (words of the notes), e.g. at a
    lock; they fill again as texts are scanned."""
    for memo in (_classes, _word_forms, _name_lengths, _lower_tokens):
        memo.cache_clear()
    _forms_pattern.cache_clear()  # the names a long text repeats


#: From this many lower-case words on, their places are found in one pass over the text.
_MANY_WORDS = 64
#: A run of letters and digits (``str.isalnum``).
_ALNUM_RUN = re.compile(r"[^\W_]+")


def _occurrences_of_many(text: str, words: list[str]) -> dict[str, list[int]]:
    """:func:`_occurrences` of each of ``words`` made of letters and digits only, found
    in one pass: such a word stands as a word only as a whole run of letters and digits.
    (Other words are left out of the result; they are searched for one by one.)"""
    wanted = {word for word in words if word.isalnum()}
    found: dict[str, list[int]] = {word: [] for word in wanted}
    for m in _ALNUM_RUN.finditer(text):
        word = m.group()
        if word in wanted:
            start, end = m.span()
            before = text[start - 1] if start else " "
            after = text[end : end + 2]
            if before in "_-'’" or after[:1] == "_":
                continue
            if after[:1] in "-'’" and after[1:].isalnum():
                continue
            found[word].append(start)
    return found


def _line_starts(text: str, found: list[Candidate]) -> dict[int, int]:
    """Where the line of each of ``found`` starts, by its start: one reverse search over
    each stretch between two of them, in order (linear also in one long line)."""
    line_of: dict[int, int] = {}
    line_start = 0
    searched = 0
    for start in sorted(set(map(_START, found))):
        newline = text.rfind("\n", searched, start)
        if newline != -1:
            line_start = newline + 1
        line_of[start] = line_start
        searched = start
    return line_of


def _occurrences(text: str, word: str) -> list[int]:
    """Where ``word`` stands as a whole word in ``text`` (str.find is fast C code)."""
    found = []
    n = len(word)
    start = text.find(word)
    while start != -1:
        before = text[start - 1] if start else " "
        after = text[start + n : start + n + 2]
        if not (before.isalnum() or before in "_-'’") and not (
            after[:1].isalnum() or after[:1] == "_" or (after[:1] in "-'’" and after[1:].isalnum())
        ):
            found.append(start)
        start = text.find(word, start + n)
    return found


def carried_lower_names(flagged: Iterable[str], lex: Lexicon) -> frozenset[str]:
    """The lower-case forms of the names among ``flagged`` (candidates' texts) that are
    looked for in the whole note: a name found capitalised in one paragraph is a name in
    lower case in another ("Sinthuja" ... "kører selv sinthuja i skole"), where that form
    is no word (a name that is also a word is carried only within its paragraph, where a
    subject stands: see ``propagate``)."""
    return frozenset(
        low
        for name in flagged
        if len(name) >= 3 and name.isalpha() and name[0].isupper() and name[1:].islower()
        for low in (name.lower(),)
        if low not in lex.words
        and low not in lex.allowed
        and low not in lex.lower_towns
        and low not in lex.english_only
        and low not in FUNCTION_WORDS
    )


def lower_name_candidates(
    text: str, words: Iterable[str], found: Iterable[Candidate]
) -> list[Candidate]:
    """A name candidate wherever one of ``words`` (see :func:`carried_lower_names`) stands
    as a whole word in ``text``, outside the name candidates ``found`` already."""
    names = sorted((c.start, c.end) for c in found if c.kind is Kind.NAME)
    starts = [start for start, _end in names]
    reach = list(accumulate((end for _start, end in names), max))
    out: list[Candidate] = []
    for word in sorted(words):
        for start in _whole_words(text, word):
            end = start + len(word)
            i = bisect_right(starts, start) - 1
            if i >= 0 and reach[i] > start:
                continue
            j = bisect_right(starts, end - 1)
            if j > i + 1:
                continue  # a name found already starts inside it
            out.append(Candidate(start, end, Kind.NAME, k.R_NAME_LOWER, P[Kind.NAME]))
    return out


def _whole_words(text: str, word: str) -> list[int]:
    """Where ``word`` (letters) stands with no letter or digit either side: what
    ``re.finditer(rf"(?<![^\\W_]){word}(?![^\\W_])", text)`` finds (``[^\\W_]`` is what
    ``str.isalnum`` is), by ``str.find`` (the regex, led by a look-behind, is tried at
    every character of the text: a millisecond per word in a 20,000-character note)."""
    found: list[int] = []
    n = len(word)
    start = text.find(word)
    while start != -1:
        end = start + n
        if not (start and text[start - 1].isalnum()) and not text[end : end + 1].isalnum():
            found.append(start)
            start = text.find(word, end)  # (a match cannot start inside another)
        else:
            start = text.find(word, start + 1)
    return found


def find_names(text: str, lex: Lexicon, facts: TextFacts | None = None) -> list[Candidate]:
    """Names of people, institutions, places and municipalities in ``text``.

    ``facts`` may carry what another scan of the same text has worked out already.
    """
    return _Scanner(text, lex, facts).scan()


class NameParts(NamedTuple):
    """What :func:`find_name_parts` found in one part of a text (see there)."""

    #: The candidates the part's own words decide.
    candidates: list[Candidate]
    #: Names at a sentence start that are also words ("Tom", "Mark", no verb after them):
    #: names if the same name is a candidate anywhere in the whole text.
    deferred: list[tuple[int, int]]
    #: Lower-case words (names, towns, unknown words) looked for wherever they stand as a
    #: word: in the whole text, every part's such words are looked for in every part.
    lower_words: frozenset[str]


def find_name_parts(text: str, lex: Lexicon, facts: TextFacts | None = None) -> NameParts:
    """:func:`find_names` for one part (a paragraph) of a longer text, without what the
    rest of the text decides: the deferred names and the other parts' lower-case words
    are left for the caller (see :func:`find_lower_case_words`)."""
    scanner = _Scanner(text, lex, facts)
    scanner.scan_words()
    return NameParts(scanner.out, scanner.deferred, scanner.lower_words)


def find_lower_case_words(
    text: str, lex: Lexicon, words: Iterable[str], facts: TextFacts | None = None
) -> list[Candidate]:
    """The candidates where ``words`` (another part's :attr:`NameParts.lower_words`)
    stand as a word in ``text``."""
    scanner = _Scanner(text, lex, facts)
    scanner.lower_case_words(words)
    return scanner.out


#: What may stand between two parts of one name, besides a space or a hyphen.
_NAME_JOINS = (
    " van ", " von ", " de ", " la ", " le ", " bin ", " ibn ", " al-", " el-", " van der ",
    " van den ", " da ", " di ",
)  # fmt: skip
#: The longest of them (lower-casing never shortens a text: a longer gap is none of them).
_LONGEST_JOIN = max(map(len, _NAME_JOINS))


def merge_names(candidates: list[Candidate], text: str) -> list[Candidate]:
    """Join names written together ("Anne Sofie Jensen", "Ahmed bin Ali") into one."""
    merged: list[Candidate] = []
    for cand in candidates:
        if merged and cand.kind is Kind.NAME and merged[-1].kind is Kind.NAME:
            last = merged[-1]
            # The gap to the name before is looked at only when it may be a join: names
            # far apart would have their whole gap copied and lower-cased.
            if 0 < cand.start - last.end <= _LONGEST_JOIN:
                gap = text[last.end : cand.start]
                if gap in (" ", "-") or gap.lower() in _NAME_JOINS:
                    merged[-1] = last._replace(end=cand.end)
                    continue
        merged.append(cand)
    return merged
