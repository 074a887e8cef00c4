#!/usr/bin/env python3
"""The first names the name rule takes as cheap evidence (rules/lexicon/first-names.txt).

Two sources, both MIT-licensed packages on PyPI:
- the 1990 US census's first names (5,163), from `names` 0.3.0;
- the first names Faker 37.12.0 gives for English-speaking countries beyond the US (India, Pakistan,
  Nigeria, Kenya, Britain, Ireland, New Zealand) and for the languages most spoken by reps there and
  in the US (Spanish, Portuguese, Turkish, Yoruba, Igbo, Hausa, Twi, Swahili, Zulu, Vietnamese,
  Indonesian and others in LOCALES). The census list has no "Yusuf", "Arjun" or "Nnamdi": a rep
  so named said a capitalised word the rule could not read as a name.

A name Whisper would write with letters outside ASCII is left out (a transcript of an English
message writes "Jose"), and so is one that is also a common English word (a Zipf frequency of
MAX_ZIPF or more in `wordfreq` 3.1.1, as "Harper", "Phoenix" or "Cooper", which name companies as
often as people): a first name is only evidence where it is rarely anything else.

    python -m venv /tmp/names && /tmp/names/bin/pip install names==0.3.0 faker==37.12.0 wordfreq==3.1.1
    /tmp/names/bin/python tools/first_names.py

A new list changes the name rule's fitted weights: measure it as a tuning step (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import names  # type: ignore[import-not-found]
from wordfreq import zipf_frequency  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parent.parent / "rules" / "lexicon" / "first-names.txt"
LOCALES = ("en_IN", "en_PK", "en_NG", "en_KE", "en_GB", "en_IE", "en_NZ", "tr_TR", "yo_NG", "ig_NG", "ha_NG", "tw_GH",
           "sw", "zu_ZA", "vi_VN", "id_ID", "es_MX", "es_ES", "es_CO", "pt_BR", "it_IT", "fr_FR", "de_DE", "pl_PL")
MAX_ZIPF = 3.5
ASCII_NAME = re.compile(r"[a-z][a-z'-]+")


def census() -> set[str]:
    folder = Path(names.__file__).parent
    return {line.split()[0].lower() for kind in ("female", "male")
            for line in (folder / f"dist.{kind}.first").read_text().splitlines() if line.strip()}


def faker_names() -> set[str]:
    found: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            given = getattr(provider, attr, None) or ()
            found |= {name.lower() for name in given if ASCII_NAME.fullmatch(name.lower())}
    return {name for name in found if zipf_frequency(name, "en") < MAX_ZIPF}


def main() -> None:
    us = census()
    more = faker_names() - us
    header = [f"# First names: the 1990 US census's ({len(us):,}; via PyPI 'names' 0.3.0, MIT) and {len(more):,} more",
              "# from Faker 37.12.0 (MIT) for other countries and languages, none a common English word",
              "# (tools/first_names.py).",
              "# Cheap evidence that a capitalised word in an introduction is a person's name",
              "# (analyzer/measure/introduction.py)."]
    OUT.write_text("\n".join([*header, *sorted(us | more)]) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(us)} + {len(more)} names")


if __name__ == "__main__":
    main()
