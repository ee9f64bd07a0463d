#!/usr/bin/env python3
"""Build ``resources/anonymity/world_first_names.txt`` from gender-guesser's name dictionary.

    pip download --no-deps gender-guesser==0.4.0 && unzip gender_guesser-0.4.0-*.whl
    python scripts/build_world_names.py gender_guesser/data/nam_dict.txt

The dictionary (Jörg Michael's ``nam_dict.txt``, GNU Free Documentation License 1.2 or
later) gives, per first name, how common it is in each of 55 countries or regions on a
scale of 1 to 13. Kept: the names common enough in the countries that families in
Denmark come from most often (the Nordic countries, Poland, Ukraine, Russia, Turkey,
the Arabic- and Persian-speaking world, South Asia incl. Sri Lanka, Vietnam, the former
Yugoslavia, Albania, Romania, Lithuania, Germany, Britain, the US, "other countries"),
of three letters or more, that are no Danish or English dictionary word in lower case,
no allowed proper noun and no town, and are not already in the other name lists (so
the list adds names only where they cannot be mistaken for a word).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counsellor_app.core.anonymity.data import lexicon  # noqa: E402

COUNTRIES = """great_britain ireland usa italy malta portugal spain france belgium luxembourg
the_netherlands east_frisia germany austria swiss iceland denmark norway sweden finland
estonia latvia lithuania poland czech_republic slovakia hungary romania bulgaria bosniaand
croatia kosovo macedonia montenegro serbia slovenia albania greece russia belarus moldova
ukraine armenia azerbaijan georgia the_stans turkey arabia israel china india japan korea
vietnam other_countries""".split()  # noqa: SIM905 (the file's column order, as in the source)
#: Country -> the least frequency (1-13) that counts; lower where families in Denmark
#: come from more often (lowered by two in session 12: rarer names of these countries,
#: "Kajetan", "Julieta", were missed in notes).
WANTED = {
    "denmark": 1, "norway": 1, "sweden": 1, "iceland": 1, "poland": 1, "ukraine": 1,
    "turkey": 1, "arabia": 1, "vietnam": 1, "russia": 1, "india": 1, "bosniaand": 1,
    "kosovo": 1, "albania": 1, "other_countries": 1, "serbia": 2, "croatia": 2,
    "romania": 2, "lithuania": 2, "the_stans": 2, "germany": 3, "great_britain": 3,
    "greece": 3, "finland": 3, "usa": 4, "the_netherlands": 4,
}  # fmt: skip
OUT = ROOT / "resources" / "anonymity" / "world_first_names.txt"
HEADER = """# First names from gender-guesser 0.4.0's nam_dict.txt (c) 2007-2008 Jörg Michael,
# GNU Free Documentation License 1.2 or later (see SOURCES.md); selected by
# scripts/build_world_names.py. Changes to this file are released under the same licence.
"""


def main(source: Path) -> int:
    lex = lexicon()
    known = (
        {line.strip() for line in OUT.read_text("utf-8").splitlines()} if OUT.exists() else set()
    )
    names: set[str] = set()
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in "#=":
            continue
        values = line[30:-1]
        if not any(
            country in WANTED and mark.strip() and int(mark, 16) >= WANTED[country]
            for country, mark in zip(COUNTRIES, values, strict=False)
        ):
            continue
        raw = line.split()[1]
        for name in {raw.replace("+", sep) for sep in ("", "-")} if "+" in raw else {raw}:
            low = name.lower()
            if (
                len(name) >= 3
                and name[:1].isupper()
                and name.replace("-", "").isalpha()
                and low not in lex.words
                and low not in lex.allowed
                and name not in lex.towns
                and (name not in lex.names or name in known)
            ):
                names.add(name)
    OUT.write_text(HEADER + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} names to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
