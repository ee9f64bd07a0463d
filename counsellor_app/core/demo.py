"""Synthetic demo data: realistic, anonymous Danish cases for trying the app and benchmarks.

:func:`fill_demo` fills an open notebook with cases built from phrase banks: varied
themes, arenas and caller roles, one to four conversations over the last ~18 months with
notes for all four counselling steps, wellbeing trajectories per arena (most improve),
alliances, follow-ups (some overdue, some today, some in the coming week, most done), a
few concern records and some (fake) call-back numbers. The notes hold no names, phone
numbers, addresses or named schools: they describe situations, as real notes must.

Rows are written with SQL in batches (one transaction per 500 cases), so 10,000 cases
take seconds. The same ``seed`` gives the same data (apart from "now"), and no row is
stamped after the moment :func:`fill_demo` was called.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from counsellor_app.core.domain import (
    CODE_ALPHABET,
    CODE_PREFIX,
    OVERALL,
    AgeBand,
    AllianceStatus,
    CallerRole,
    CaseStatus,
    Channel,
    ConcernDecision,
    ConcernSigns,
    Consent,
    Gender,
    HelpSystemActor,
    HelpSystemStatus,
    Partner,
    WellbeingLevel,
    overall_level,
)
from counsellor_app.core.store import Notebook
from counsellor_app.core.store import now as store_now

BATCH = 500
HISTORY_DAYS = 540
#: A case is saved up to this long after its last conversation began (the call lasts at
#: most 56 minutes, the notes are finished after it); a concern, an alliance or a status
#: change follows a conversation by less. So the last conversation began at least this
#: long before "now", and no row is stamped after the demo was made.
SAVED_WITHIN_MINUTES = 70

# ---------------------------------------------------------------------------- phrase banks

_CALLER: dict[CallerRole, tuple[str, ...]] = {
    CallerRole.MOTHER: ("mor",),
    CallerRole.FATHER: ("far",),
    CallerRole.OTHER_CARER: ("bonusmor", "bonusfar", "stedmor"),
    CallerRole.GRANDPARENT: ("mormor", "farmor", "bedstemor", "morfar"),
    CallerRole.FOSTER_PARENT: ("plejemor", "plejefar"),
    CallerRole.PROFESSIONAL: ("fagpersonen", "pædagogen"),
}

_CALLER_WEIGHTS: dict[CallerRole, int] = {
    CallerRole.MOTHER: 55,
    CallerRole.FATHER: 25,
    CallerRole.OTHER_CARER: 6,
    CallerRole.GRANDPARENT: 5,
    CallerRole.FOSTER_PARENT: 4,
    CallerRole.PROFESSIONAL: 5,
}

_AGE_WEIGHTS: dict[AgeBand, int] = {
    AgeBand.A0_2: 4,
    AgeBand.A3_5: 10,
    AgeBand.A6_9: 22,
    AgeBand.A10_12: 24,
    AgeBand.A13_15: 25,
    AgeBand.A16_17: 10,
    AgeBand.A18_24: 5,
}

_AGE_ARENAS: dict[AgeBand, tuple[str, ...]] = {
    AgeBand.A0_2: ("home", "daycare"),
    AgeBand.A3_5: ("home", "daycare", "leisure"),
    AgeBand.A6_9: ("home", "school", "leisure", "digital"),
    AgeBand.A10_12: ("home", "school", "leisure", "digital"),
    AgeBand.A13_15: ("home", "school", "leisure", "digital"),
    AgeBand.A16_17: ("home", "youth_education", "leisure", "digital"),
    AgeBand.A18_24: ("home", "youth_education", "leisure", "digital"),
}

_AGE_THEMES_EXCLUDED: dict[AgeBand, frozenset[str]] = {
    AgeBand.A0_2: frozenset(
        {
            "school_absence",
            "bullying",
            "self_harm",
            "screens_digital",
            "school_home_cooperation",
            "sexuality_identity",
            "loneliness",
            "adhd_autism",
            "inclusion_placement",
        }
    ),
    AgeBand.A3_5: frozenset({"school_absence", "self_harm", "sexuality_identity"}),
    AgeBand.A6_9: frozenset({"self_harm", "sexuality_identity"}),
}

_ARENA_DA: dict[str, str] = {
    "home": "hjemme",
    "daycare": "i dagtilbuddet",
    "school": "i skolen",
    "youth_education": "på ungdomsuddannelsen",
    "leisure": "i fritiden",
    "digital": "på nettet og telefonen",
}

_THEME_ARENA: dict[str, str] = {
    "school_absence": "school",
    "bullying": "school",
    "school_home_cooperation": "school",
    "inclusion_placement": "school",
    "screens_digital": "digital",
    "loneliness": "leisure",
    "sleep": "home",
    "eating": "home",
    "divorce_custody": "home",
    "family_illness": "home",
    "substance_abuse_family": "home",
    "violence_abuse": "home",
    "behaviour_conflicts": "home",
}

_THEME_WEIGHTS: dict[str, int] = {
    "school_absence": 14,
    "bullying": 8,
    "loneliness": 8,
    "anxiety": 14,
    "sadness": 8,
    "self_harm": 3,
    "eating": 4,
    "sleep": 7,
    "screens_digital": 9,
    "behaviour_conflicts": 10,
    "school_home_cooperation": 8,
    "inclusion_placement": 4,
    "transitions": 5,
    "divorce_custody": 7,
    "family_illness": 3,
    "adhd_autism": 9,
    "violence_abuse": 1,
    "substance_abuse_family": 1,
    "discrimination": 2,
    "sexuality_identity": 2,
    "help_system": 5,
}

#: What happens, per theme ({b} is the child, {p} the caller).
_WHAT: dict[str, tuple[str, ...]] = {
    "school_absence": (
        "{b} har svært ved at komme i skole om morgenen og har haft mange fraværsdage",
        "{b} får ondt i maven hver morgen og vil ikke af sted i skole",
        "{b} har ikke været i skole i flere uger og bliver på værelset",
    ),
    "bullying": (
        "{b} bliver holdt udenfor i frikvartererne og drillet af nogle fra klassen",
        "{b} har fået grimme beskeder i klassens gruppechat og er ked af at gå i skole",
    ),
    "loneliness": (
        "{b} har ingen at være sammen med efter skole og siger, at ingen gider lege",
        "{b} trækker sig fra kammeraterne og sidder mest alene",
    ),
    "anxiety": (
        "{b} er meget bekymret og har angst i nye situationer, især når der er mange mennesker",
        "{b} får angstanfald om aftenen og kan ikke falde til ro",
        "{b} er blevet mere ængstelig og tør ikke være alene hjemme",
    ),
    "sadness": (
        "{b} virker trist og opgivende og har mistet lysten til ting, der før var sjove",
        "{b} græder meget og siger, at det hele er lige meget",
    ),
    "self_harm": (
        "{p} har opdaget, at {b} har skåret sig på armene",
        "{b} har talt om ikke at ville leve og har ridset sig i huden",
    ),
    "eating": (
        "{b} spiser meget lidt og tæller kalorier",
        "{b} springer måltider over og er optaget af sin krop og vægt",
    ),
    "sleep": (
        "{b} falder sent i søvn og er træt og irritabel om morgenen",
        "{b} vågner flere gange om natten, og søvnen er blevet et dagligt problem",
    ),
    "screens_digital": (
        "{b} bruger mange timer på telefon og spil og bliver vred, når skærmen skal slukkes",
        "{b} sidder oppe om natten med mobilen, og skærmtiden fylder det meste af fritiden",
    ),
    "behaviour_conflicts": (
        "der er mange konflikter derhjemme, og {b} reagerer med raseri og slår ud",
        "{b} siger nej til alt, og morgen og aften ender ofte i skænderier",
    ),
    "school_home_cooperation": (
        "samarbejdet med skolen er gået i hårdknude, og {p} føler sig ikke hørt",
        "{p} oplever, at skolen kun kontakter hjemmet, når noget er gået galt",
    ),
    "inclusion_placement": (
        "{b} har svært ved at rumme den store klasse, og der tales om et andet skoletilbud",
        "{b} har brug for mere støtte i undervisningen, end klassen kan give",
    ),
    "transitions": (
        "{b} har svært ved skiftet til ny klasse med nye voksne",
        "overgangen fra dagtilbud til skole har været hård for {b}",
    ),
    "divorce_custody": (
        "forældrene er gået fra hinanden, og {b} er ked af at skifte mellem to hjem",
        "der er konflikt mellem forældrene om samværet, og {b} står i klemme",
    ),
    "family_illness": (
        "en forælder er alvorligt syg, og {b} bekymrer sig meget derhjemme",
        "sygdom i familien fylder meget, og {b} tager meget ansvar",
    ),
    "adhd_autism": (
        "{b} har en diagnose inden for autismespektret og bliver hurtigt overvældet",
        "{b} er udredt for ADHD og har svært ved at holde fokus og styre impulser",
        "{b} er ved at blive udredt, og hverdagen kræver meget struktur",
    ),
    "violence_abuse": (
        "{p} er bekymret for, om {b} har været udsat for vold i sin omgangskreds",
        "{b} har fortalt om episoder med voldsomme voksne, som gør {p} bekymret",
    ),
    "substance_abuse_family": (
        "der er misbrug i familien, og {b} er utryg ved det derhjemme",
        "en voksen i familien drikker for meget, og {b} er blevet stille og forsigtig",
    ),
    "discrimination": (
        "{b} oplever at blive behandlet anderledes på grund af sin baggrund",
        "{b} bliver kaldt grimme ting på grund af sit udseende",
    ),
    "sexuality_identity": (
        "{b} er i tvivl om sin kønsidentitet og er bange for at blive holdt udenfor",
        "{b} har fortalt om at være forelsket i en af samme køn og er bekymret for reaktionerne",
    ),
    "help_system": (
        "familien har længe ventet på svar fra kommunen og føler sig kastet rundt i systemet",
        "{p} er usikker på, hvad familien kan forvente af PPR og kommunen",
    ),
}

_SINCE: tuple[str, ...] = (
    "Det har stået på siden efterårsferien.",
    "Det startede for et halvt års tid siden.",
    "Det er blevet værre de seneste måneder.",
    "Det har udviklet sig gradvist over det sidste år.",
    "Det begyndte efter sommerferien.",
    "Det har varet nogle uger og er kommet ret pludseligt.",
    "Det har været sådan længe, men er taget til efter jul.",
    "Det startede i forbindelse med skoleskiftet.",
)

_WHERE: tuple[str, ...] = (
    "Det viser sig især {a}.",
    "Det er mest tydeligt {a}, mens det går bedre andre steder.",
    "Bekymringen handler særligt om situationen {a}.",
    "Både hjemme og {a} er det svært.",
)

_TRIED: tuple[str, ...] = (
    "{P} har prøvet at tale med {b} om det, men samtalerne ender ofte i tavshed.",
    "{P} har forsøgt med faste rutiner og belønning, uden den store effekt.",
    "{P} har haft et møde med klasselæreren, men synes ikke, der er sket noget.",
    "{P} har forsøgt at presse på, men oplever, at det gør det værre.",
    "{P} har skruet ned for kravene derhjemme for at skabe ro.",
    "{P} har talt med egen læge, som henviste videre.",
    "{P} har prøvet at give mere tid og nærvær om aftenen.",
    "Familien har ikke prøvet så meget endnu og ved ikke, hvor de skal starte.",
)

_CHILD: tuple[str, ...] = (
    "Ifølge {p} siger {b} selv, at det er for svært, og at de voksne ikke forstår det.",
    "{B} fortæller, at det er rart at være hjemme, fordi der er ro.",
    "{B} har svært ved at sætte ord på, hvad der er galt.",
    "{B} siger, at det hjælper at have en voksen at tale med.",
    "{B} ønsker selv, at det bliver bedre, men ved ikke hvordan.",
    "{B} siger, at de andre ikke vil lege, og at frikvartererne er det værste.",
    "{P} tror, at {b} skammer sig og derfor ikke fortæller så meget.",
)

_FIRST_OPENERS: tuple[str, ...] = (
    "{P} ringer, fordi familien er bekymret for {b}.",
    "{P} kontakter linjen for første gang og er bekymret.",
    "{P} har ringet efter råd, da familien er i tvivl om, hvad de skal gøre.",
    "{P} er bekymret og vil gerne have sparring.",
)

_LATER_OPENERS: tuple[str, ...] = (
    "Opfølgende samtale. {P} fortæller om udviklingen siden sidst.",
    "{P} ringer igen som aftalt.",
    "Ny samtale om samme bekymring. {P} er stadig bekymret, men ser små fremskridt.",
    "{P} ringer tilbage efter mødet, som vi talte om sidst.",
)

_LATER_UPDATES: tuple[str, ...] = (
    "Det går lidt bedre: {b} er kommet mere i skole, og morgenerne er roligere.",
    "Der er ikke sket den store ændring, og {p} er træt.",
    "Situationen er blevet værre, og {b} trækker sig mere.",
    "Mødet med skolen gik godt, og der er lavet en plan.",
    "{B} sover bedre, og der er mindre konflikt om aftenen.",
    "Skolen har fået en kontaktperson på, og {b} har det bedre i klassen.",
)

_ADVISE: tuple[str, ...] = (
    "Vi talte om at anerkende {b}s følelser uden at give slip på forventningerne.",
    "Rådgivning om små, overskuelige skridt frem for store krav.",
    "Vi drøftede faste rammer for morgen og aften og tydelige aftaler.",
    "Forslag om at skrue ned for skærmen om aftenen og give plads til søvn.",
    "Vi talte om at være nysgerrig på {b}s perspektiv og spørge åbent.",
    "Rådgivning om at skabe en god dag med tid til leg og bevægelse.",
    "Vi talte om, at {p} også skal passe på sig selv og søge aflastning.",
    "Vi drøftede, hvordan {p} kan forberede {b} på skift og nye situationer.",
    "Vi talte om at samarbejde med skolen om en plan for gradvis tilbagevenden.",
    "Psykoedukation om angst: undgåelse gør angsten større, små eksponeringer hjælper.",
    "Vi talte om at fokusere på det, der lykkes, og rose indsatsen frem for resultatet.",
    "Forslag om at holde faste måltider og fælles aftensmad, hvor der er ro.",
    "Vi drøftede, hvordan forældrene kan tale sammen og give {b} samme besked.",
    "Rådgivning om at tale med {b} om det digitale liv og lave aftaler sammen.",
)

_ADVISE_TAIL: tuple[str, ...] = (
    "{P} tog godt imod rådene.",
    "{P} synes, det giver mening, men er usikker på, om det kan lade sig gøre.",
    "{P} vil prøve det af i den kommende uge.",
    "Vi aftalte at evaluere det ved næste samtale.",
)

_PARTNER_TEXT: dict[Partner, tuple[str, str, str]] = {
    # (sentence for the alliances note, alliance role, what was agreed)
    Partner.SCHOOL: (
        "Skolen bør inddrages: {p} kontakter klasselæreren og beder om et møde.",
        "Klasselærer og skoleledelse",
        "Møde om en plan for fremmøde og en fast voksen i frikvartererne.",
    ),
    Partner.DAYCARE: (
        "Dagtilbuddet kan være en vigtig allieret; {p} taler med pædagogerne.",
        "Pædagogerne på stuen",
        "Fælles fokus på overgange og en rolig start på dagen.",
    ),
    Partner.PPR: (
        "Vi talte om at få PPR med, så skolen og hjemmet får sparring.",
        "Psykolog fra PPR",
        "Skolen indstiller til PPR; samtale med psykologen.",
    ),
    Partner.HEALTH_VISITOR: (
        "Sundhedsplejersken kan støtte med råd om søvn og trivsel.",
        "Sundhedsplejersken",
        "Hjemmebesøg og samtale om søvn og rutiner.",
    ),
    Partner.FAMILY_DOCTOR: (
        "Egen læge bør se {b} for at udelukke fysiske årsager.",
        "Egen læge",
        "Lægetid og eventuel henvisning videre.",
    ),
    Partner.MUNICIPALITY: (
        "Kommunens familieafdeling kan tilbyde støtte; vi talte om en henvendelse.",
        "Familierådgiver i kommunen",
        "Henvendelse om forebyggende støtte til familien.",
    ),
    Partner.PSYCHIATRY: (
        "Børne- og ungdomspsykiatrien er allerede inde over, og {p} holder dem orienteret.",
        "Behandler i psykiatrien",
        "Orientering om udviklingen og koordinering med skolen.",
    ),
    Partner.ASSOCIATION: (
        "En forening eller fritidsaktivitet kan give {b} et positivt fællesskab.",
        "Træner i den lokale klub",
        "Prøvetræning og en voksen, der tager imod.",
    ),
    Partner.OTHER: (
        "Andre voksne omkring {b} kan støtte, fx i den nære familie.",
        "Voksen i netværket",
        "Aflastning en eftermiddag om ugen.",
    ),
}

_ALLIANCE_CONSENT: tuple[str, ...] = (
    "{P} giver samtykke til, at skolen orienteres.",
    "{P} vil gerne tænke over det, før andre inddrages.",
    "{P} ønsker ikke, at andre kontaktes lige nu.",
    "Vi aftalte, at {p} selv tager kontakten.",
)

_FOLLOW_UP: tuple[str, ...] = (
    "Vi aftalte en opfølgende samtale om en uges tid.",
    "Opfølgning efter mødet med skolen.",
    "{P} ringer igen, hvis det bliver værre inden da.",
    "Inden næste samtale prøver {p} de nye rutiner af og noterer, hvad der virker.",
    "Rådgiveren ringer op som aftalt og hører, hvordan det er gået.",
    "Næste kontakt om to uger; {p} taler med {b} i mellemtiden.",
    "Vi følger op på aftalerne med skolen og på søvnen.",
    "Der er ikke aftalt ny samtale; {p} kan altid ringe igen.",
)

_COUNSELLOR_TASKS: tuple[str, ...] = (
    "Ringe op og høre om mødet med skolen.",
    "Følge op på søvn og morgenrutiner.",
    "Finde materiale om angst til forældre.",
    "Høre, hvordan de første skoledage er gået.",
    "Tale med supervisor om sagen inden næste samtale.",
)

_PARENT_TASKS: tuple[str, ...] = (
    "Kontakte klasselæreren og bede om et møde.",
    "Prøve de faste aftenrutiner af.",
    "Tale med barnet om, hvad der er svært.",
    "Bestille tid hos egen læge.",
    "Skrive ned, hvornår konflikterne opstår.",
)

_OTHERS_TASKS: tuple[str, ...] = (
    "",
    "",
    "Skolen laver en plan for fremmøde.",
    "PPR vender tilbage med en tid.",
    "Kommunen indkalder til samtale.",
)

_CONCERN_REASONS: tuple[str, ...] = (
    "Beskrivelsen af episoderne derhjemme giver anledning til bekymring; drøftet med "
    "supervisor, og forælderen er vejledt om at kontakte kommunen.",
    "Usikkert billede; ingen tegn på akut fare. Vi følger op ved næste samtale.",
    "Barnet har talt om at skade sig selv. Forælderen er vejledt om at kontakte egen læge "
    "og kommunen samme dag.",
    "Drøftet med supervisor: der er ikke grundlag for en underretning lige nu.",
)

_PROTECTIVE = ("secure_attachment", "school_recognition", "family_surplus", "positive_communities")
_RISK = ("hectic_everyday", "performance_pressure", "digital_media")
_LEVELS = tuple(WellbeingLevel)


# ---------------------------------------------------------------------------- generation


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Writer:
    """Builds the rows of one batch of cases."""

    def __init__(self, rng: random.Random, now: datetime, today: date) -> None:
        self.rng = rng
        self.now = now
        self.today = today
        self.themes = list(_THEME_WEIGHTS)
        self.theme_weights = list(_THEME_WEIGHTS.values())
        self.cases: list[tuple[Any, ...]] = []
        self.conversations: list[tuple[Any, ...]] = []
        self.alliances: list[tuple[Any, ...]] = []
        self.follow_ups: list[tuple[Any, ...]] = []
        self.concerns: list[tuple[Any, ...]] = []
        self.status_changes: list[tuple[Any, ...]] = []
        self.callbacks: list[tuple[int, str]] = []

    # -- small helpers

    def _fill(self, text: str, parent: str, child: str) -> str:
        return text.format(p=parent, P=_cap(parent), b=child, B=_cap(child))

    def _note(self, parts: Sequence[str], low: int = 150, high: int = 600) -> str:
        """Join sentences until the note is long enough, never beyond ``high``."""
        out: list[str] = []
        length = 0
        for part in parts:
            if length >= low and length + len(part) + 1 > high:
                break
            out.append(part)
            length += len(part) + 1
        return " ".join(out)

    def _pick(self, bank: Sequence[str], k: int) -> list[str]:
        return self.rng.sample(list(bank), min(k, len(bank)))

    # -- one case

    def add_case(self, case_id: int, code: str, conv_id: int) -> int:
        """Add one case's rows; returns the next free conversation id."""
        rng = self.rng
        age = rng.choices(list(_AGE_WEIGHTS), list(_AGE_WEIGHTS.values()))[0]
        excluded = _AGE_THEMES_EXCLUDED.get(age, frozenset())
        themes: list[str] = []
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            theme = rng.choices(self.themes, self.theme_weights)[0]
            if theme not in excluded and theme not in themes:
                themes.append(theme)
        if not themes:
            themes = ["behaviour_conflicts" if age in (AgeBand.A0_2, AgeBand.A3_5) else "anxiety"]
        possible = _AGE_ARENAS[age]
        arenas = ["home"] if rng.random() < 0.6 else []
        for theme in themes:
            arena = _THEME_ARENA.get(theme)
            if arena == "school" and "school" not in possible:
                arena = "youth_education" if "youth_education" in possible else "daycare"
            if arena in possible and arena not in arenas:
                arenas.append(arena)
        while not arenas or (len(arenas) < 2 and rng.random() < 0.5):
            arena = rng.choice(possible)
            if arena not in arenas:
                arenas.append(arena)
        caller = rng.choices(list(_CALLER_WEIGHTS), list(_CALLER_WEIGHTS.values()))[0]
        gender = rng.choices((Gender.GIRL, Gender.BOY, Gender.OTHER), (47, 49, 4))[0]
        if age in (AgeBand.A16_17, AgeBand.A18_24):
            child = "den unge"
        else:
            child = {Gender.GIRL: "pigen", Gender.BOY: "drengen", Gender.OTHER: "barnet"}[gender]
        parent = rng.choice(_CALLER[caller])
        known = rng.random() < 0.4
        known_by: list[str] = []
        if known:
            known_by = rng.sample(
                [a.value for a in HelpSystemActor], rng.choice((1, 1, 1, 2, 2, 3))
            )
        protective = rng.sample(_PROTECTIVE, rng.choice((0, 1, 1, 2)))
        risk = rng.sample(_RISK, rng.choice((0, 0, 1, 1, 2)))

        status = rng.choices(
            (CaseStatus.OPEN, CaseStatus.AWAITING_FOLLOW_UP, CaseStatus.CLOSED), (25, 35, 40)
        )[0]
        count = rng.choices((1, 2, 3, 4), (40, 30, 20, 10))[0]
        day = timedelta(days=1)
        due: date | None = None
        if status is CaseStatus.AWAITING_FOLLOW_UP:
            bucket = rng.choices(("overdue", "today", "week", "later"), (25, 10, 35, 30))[0]
            offset = {
                "overdue": -rng.randint(1, 21),
                "today": 0,
                "week": rng.randint(1, 7),
                "later": rng.randint(8, 40),
            }[bucket]
            due = self.today + timedelta(days=offset)
            last = datetime.combine(due, datetime.min.time(), UTC) - rng.randint(7, 21) * day
            last += timedelta(hours=rng.randint(8, 20), minutes=rng.randint(0, 59))
        elif status is CaseStatus.OPEN:
            last = self.now - timedelta(minutes=rng.randint(30, 60 * 24 * 45))
        else:
            last = self.now - timedelta(minutes=rng.randint(60 * 24 * 20, 60 * 24 * HISTORY_DAYS))
        last = min(last, self.now - timedelta(minutes=SAVED_WITHIN_MINUTES))
        oldest = self.now - HISTORY_DAYS * day
        starts = [last]
        for _ in range(count - 1):
            earlier = starts[-1] - timedelta(days=rng.randint(7, 60), hours=rng.randint(-3, 3))
            if earlier < oldest:
                break
            starts.append(earlier)
        starts.reverse()

        # wellbeing: a start level per arena, then a trajectory (mostly improving)
        levels = {arena: rng.choices((0, 1, 2, 3), (5, 30, 45, 20))[0] for arena in arenas}
        if rng.random() < 0.3:
            thriving = rng.choice(arenas)
            if len(arenas) > 1:
                levels[thriving] = 0
        latest_wellbeing: str | None = None
        conv_ids: list[int] = []
        for index, start in enumerate(starts):
            if index:
                for arena in levels:
                    move = rng.choices((-1, 0, 1), (55, 32, 13))[0]
                    levels[arena] = max(0, min(3, levels[arena] + move))
            wellbeing: dict[str, str] = {}
            if rng.random() < 0.9:
                wellbeing = {arena: _LEVELS[rank].value for arena, rank in levels.items()}
                if rng.random() < 0.5:
                    wellbeing[OVERALL] = _LEVELS[max(levels.values())].value
                latest = overall_level({k: WellbeingLevel(v) for k, v in wellbeing.items()})
                latest_wellbeing = latest.value if latest else None
            duration = rng.randint(6, 55) * 60 + rng.randint(0, 59)  # < SAVED_WITHIN_MINUTES
            notes = self._notes(index, themes, arenas, parent, child, known_by)
            channel = rng.choices(
                (Channel.PHONE, Channel.CHAT, Channel.EMAIL, Channel.IN_PERSON), (80, 12, 5, 3)
            )[0]
            self.conversations.append(
                (
                    conv_id,
                    case_id,
                    _ts(start),
                    duration,
                    channel.value,
                    *notes,
                    json.dumps(wellbeing),
                    _ts(start + timedelta(seconds=duration)),
                )
            )
            conv_ids.append(conv_id)
            conv_id += 1

        created = starts[0]
        updated = starts[-1] + timedelta(minutes=rng.randint(10, SAVED_WITHIN_MINUTES))
        self.status_changes.append((case_id, _ts(created), None, CaseStatus.OPEN.value))
        # follow-ups agreed in one conversation were done at the next one
        for (previous, following), agreed_in in zip(
            itertools.pairwise(starts), conv_ids, strict=False
        ):
            self.follow_ups.append(
                (
                    case_id,
                    following.date().isoformat(),
                    rng.choice(_COUNSELLOR_TASKS),
                    rng.choice(_PARENT_TASKS),
                    rng.choice(_OTHERS_TASKS),
                    1,
                    _ts(following),
                    _ts(previous + timedelta(minutes=40)),
                    agreed_in,
                )
            )
        closed_at: datetime | None = None
        had_follow_up = len(starts) > 1
        if status is CaseStatus.AWAITING_FOLLOW_UP and due is not None:
            self.follow_ups.append(
                (
                    case_id,
                    due.isoformat(),
                    rng.choice(_COUNSELLOR_TASKS),
                    rng.choice(_PARENT_TASKS),
                    rng.choice(_OTHERS_TASKS),
                    0,
                    None,
                    _ts(updated),
                    conv_ids[-1],
                )
            )
            had_follow_up = True
        elif status is CaseStatus.CLOSED:
            closed_at = min(self.now, updated + timedelta(days=rng.randint(1, 30)))
        if had_follow_up:
            self.status_changes.append(
                (
                    case_id,
                    _ts(created + timedelta(minutes=40)),
                    CaseStatus.OPEN.value,
                    CaseStatus.AWAITING_FOLLOW_UP.value,
                )
            )
        previous_status = CaseStatus.AWAITING_FOLLOW_UP if had_follow_up else CaseStatus.OPEN
        if status is not previous_status:
            moment = closed_at or starts[-1]
            self.status_changes.append((case_id, _ts(moment), previous_status.value, status.value))
        if closed_at is not None:
            updated = closed_at

        # alliances
        partners = self._partners(arenas, themes, known_by, age)
        for partner in partners:
            _sentence, role, agreed = _PARTNER_TEXT[partner]
            consent = rng.choices(
                (Consent.GIVEN, Consent.NOT_ASKED, Consent.REFUSED), (60, 30, 10)
            )[0]
            if consent is Consent.REFUSED:
                alliance_status = AllianceStatus.SUGGESTED
            else:
                alliance_status = rng.choice(
                    (AllianceStatus.SUGGESTED, AllianceStatus.CONTACTED, AllianceStatus.ACTIVE)
                )
            if status is CaseStatus.CLOSED and alliance_status is AllianceStatus.ACTIVE:
                alliance_status = AllianceStatus.ENDED
            made = _ts(rng.choice(starts) + timedelta(minutes=30))
            self.alliances.append(
                (
                    case_id,
                    partner.value,
                    role,
                    agreed,
                    consent.value,
                    alliance_status.value,
                    made,
                    made,
                )
            )

        # concerns: a few
        if rng.random() < (0.25 if {"self_harm", "violence_abuse"} & set(themes) else 0.02):
            signs = rng.choice((ConcernSigns.UNSURE, ConcernSigns.YES, ConcernSigns.NO))
            decision = {
                ConcernSigns.NO: ConcernDecision.NOT_NEEDED,
                ConcernSigns.UNSURE: ConcernDecision.TALK_WITH_SUPERVISOR,
                ConcernSigns.YES: rng.choice(
                    (
                        ConcernDecision.PARENT_GUIDED_TO_MUNICIPALITY,
                        ConcernDecision.NOTIFICATION_MADE,
                    )
                ),
            }[signs]
            index = rng.randrange(len(conv_ids))
            self.concerns.append(
                (
                    case_id,
                    conv_ids[index],
                    signs.value,
                    decision.value,
                    rng.choice(_CONCERN_REASONS),
                    _ts(starts[index] + timedelta(minutes=45)),
                )
            )

        if status is not CaseStatus.CLOSED and rng.random() < 0.3:
            self.callbacks.append((case_id, rng.choice("25") + f"{rng.randrange(10**7):07d}"))

        self.cases.append(
            (
                case_id,
                code,
                status.value,
                caller.value,
                (HelpSystemStatus.KNOWN if known else HelpSystemStatus.NEWLY_WORRIED).value,
                json.dumps(known_by),
                age.value,
                gender.value,
                json.dumps(arenas),
                json.dumps(themes),
                json.dumps(protective),
                json.dumps(risk),
                latest_wellbeing,
                0,
                _ts(created),
                _ts(updated),
                _ts(closed_at) if closed_at else None,
            )
        )
        return conv_id

    def _partners(
        self, arenas: list[str], themes: list[str], known_by: list[str], age: AgeBand
    ) -> list[Partner]:
        rng = self.rng
        candidates: list[Partner] = []
        if "school" in arenas or "youth_education" in arenas:
            candidates.append(Partner.SCHOOL)
        if "daycare" in arenas:
            candidates.append(Partner.DAYCARE)
        if age in (AgeBand.A0_2, AgeBand.A3_5):
            candidates.append(Partner.HEALTH_VISITOR)
        if "ppr" in known_by or {"school_absence", "inclusion_placement", "adhd_autism"} & set(
            themes
        ):
            candidates.append(Partner.PPR)
        if "psychiatry" in known_by:
            candidates.append(Partner.PSYCHIATRY)
        if "municipality" in known_by or "help_system" in themes:
            candidates.append(Partner.MUNICIPALITY)
        if {"sleep", "eating", "self_harm", "anxiety"} & set(themes):
            candidates.append(Partner.FAMILY_DOCTOR)
        if "loneliness" in themes or "leisure" in arenas:
            candidates.append(Partner.ASSOCIATION)
        if not candidates or rng.random() < 0.2:
            return []
        return rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2, 3))))

    def _notes(
        self,
        index: int,
        themes: list[str],
        arenas: list[str],
        parent: str,
        child: str,
        known_by: list[str],
    ) -> tuple[str, str, str, str]:
        rng = self.rng

        def fill(text: str) -> str:
            return self._fill(text, parent, child)

        arena_da = _ARENA_DA[rng.choice(arenas)]
        what = [fill(_cap(rng.choice(_WHAT[theme])) + ".") for theme in themes]
        if index == 0:
            listen_parts = [fill(rng.choice(_FIRST_OPENERS)), *what, rng.choice(_SINCE)]
        else:
            listen_parts = [
                fill(rng.choice(_LATER_OPENERS)),
                fill(rng.choice(_LATER_UPDATES)),
                *what[:1],
            ]
        listen_parts.append(rng.choice(_WHERE).format(a=arena_da))
        if known_by:
            listen_parts.append("Familien er allerede kendt i hjælpesystemet.")
        listen_parts += [fill(rng.choice(_TRIED)), fill(rng.choice(_CHILD))]
        listen = self._note(listen_parts)

        advise_parts = [fill(s) for s in self._pick(_ADVISE, rng.randint(3, 5))]
        advise_parts.append(fill(rng.choice(_ADVISE_TAIL)))
        advise = self._note(advise_parts)

        partners = self.rng.sample(list(_PARTNER_TEXT), rng.randint(2, 3))
        alliance_parts = [fill(_PARTNER_TEXT[p][0]) for p in partners]
        alliance_parts.append(fill(rng.choice(_ALLIANCE_CONSENT)))
        alliances = self._note(alliance_parts)
        if rng.random() < 0.08:
            alliances = ""

        follow = self._note([fill(s) for s in self._pick(_FOLLOW_UP, rng.randint(3, 4))])
        if rng.random() < 0.05:
            follow = ""
        return listen, advise, alliances, follow


def _codes(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    length = 4 if len(taken) + count < 50_000 else 5
    codes: list[str] = []
    while len(codes) < count:
        code = CODE_PREFIX + "".join(rng.choice(CODE_ALPHABET) for _ in range(length))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def fill_demo(
    notebook: Notebook,
    cases: int = 200,
    seed: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Add ``cases`` synthetic, anonymous cases to the open ``notebook``.

    ``progress`` is called after each batch with the number of cases written so far.
    """
    rng = random.Random(seed)
    now = store_now()  # the store's clock: the cases are as old as the notebook says
    today = now.astimezone().date()
    with notebook.transaction() as db:
        taken = {row[0] for row in db.execute("SELECT code FROM cases")}
    done = 0
    while done < cases:
        size = min(BATCH, cases - done)
        with notebook.transaction() as db:
            case_id = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM cases").fetchone()[0])
            conv_id = int(
                db.execute("SELECT coalesce(max(id), 0) + 1 FROM conversations").fetchone()[0]
            )
            writer = _Writer(rng, now, today)
            for code in _codes(rng, size, taken):
                conv_id = writer.add_case(case_id, code, conv_id)
                case_id += 1
            db.executemany(
                "INSERT INTO cases (id, code, status, caller_role, help_system, known_by, "
                "age_band, gender, arenas, themes, protective_factors, risk_factors, "
                "latest_wellbeing, retention_hold, created_at, updated_at, closed_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                writer.cases,
            )
            db.executemany(
                "INSERT INTO conversations (id, case_id, started_at, duration_seconds, channel, "
                "note_listen, note_advise, note_alliances, note_follow_up, wellbeing, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                writer.conversations,
            )
            db.executemany(
                "INSERT INTO alliances (case_id, partner, role, agreed, consent, status, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                writer.alliances,
            )
            if notebook.schema_version() >= 5:  # a follow-up knows its conversation
                db.executemany(
                    "INSERT INTO follow_ups (case_id, due, counsellor_task, parent_task, "
                    "others_task, done, done_at, created_at, conversation_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    writer.follow_ups,
                )
            else:  # an older schema, as the migration tests make
                db.executemany(
                    "INSERT INTO follow_ups (case_id, due, counsellor_task, parent_task, "
                    "others_task, done, done_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [row[:-1] for row in writer.follow_ups],
                )
            db.executemany(
                "INSERT INTO concerns (case_id, conversation_id, signs, decision, reasoning, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                writer.concerns,
            )
            db.executemany(
                "INSERT INTO status_changes (case_id, at, old, new) VALUES (?, ?, ?, ?)",
                writer.status_changes,
            )
            for callback_case, phone in writer.callbacks:
                # The store's own rule (no number on a closed case) applies.
                notebook.set_callback(callback_case, phone)
        notebook.checkpoint()  # a bulk load is not idle time: keep the WAL small
        done += size
        if progress is not None:
            progress(done)
