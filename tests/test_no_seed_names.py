"""No rule may be secretly fitted to the seed article.

The product rule: nothing in the package's code or data names a place or a
person of the seed article (tests/fixtures/seed_gold.json), so that no rule can
be tuned to it. Docstrings, doctests and comments count too: they are part of
the code, and an example taken from the seed is a hint that the rule beside it
was written for the seed.

The names are read from the gold fixture, never listed here: the words of the
places' names, the demonyms the fixture records, the speakers, the people in
``must_not_map`` and the organisations the fixture names.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "fixtures" / "seed_gold.json"
PACKAGE = ROOT / "geo"

# Words of the places' names that are not names ("Esmeraldas Province",
# "Colombia's Caribbean ports", "Washington, D.C.").
_GENERIC_WORDS = {"province", "ports", "port", "s", "d", "c"}
_WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _capitalised_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w[0].isupper() and w.lower() not in _GENERIC_WORDS and len(w) > 1]


def seed_names() -> set[str]:
    """The seed's names, as written in the gold fixture."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    places = gold["places"]
    names: set[str] = set()

    # Places: every word of every name ("Washington", "Esmeraldas", "Caribbean" ...).
    for place in places.get("required", []) + places.get("optional", []):
        names.update(w.split("'")[0].split("\u2019")[0] for w in _capitalised_words(place["name"]))
        # Demonyms: "Colombian (paragraphs 1, 6, 8)", "only as the demonym 'Mexican cartels'".
        demonym = place.get("also_as_demonym", "")
        if demonym:
            names.add(_capitalised_words(demonym)[0])
        for match in re.finditer(r"demonym\s+['\u2018\"]([^\W\d_]+)", place.get("note", "")):
            names.add(match.group(1))

    # Speakers: the full name and each of its words.
    for speaker in gold.get("speakers", []):
        names.add(speaker)
        names.update(_capitalised_words(speaker))
    for quote in gold.get("quotes", []):
        names.add(quote["speaker"])
        names.update(_capitalised_words(quote["speaker"]))

    # People in must_not_map: a two-word entry whose last word is listed alone too
    # ("Donald Trump" and "Trump"); acronyms there are organisations ("CIES").
    must_not_map = places.get("must_not_map", [])
    alone = set(must_not_map)
    for entry in must_not_map:
        words = entry.split()
        if len(words) == 2 and words[1] in alone and all(w[0].isupper() for w in words):
            names.add(entry)
            names.update(words)
        elif len(words) == 1 and len(entry) > 1 and entry.isupper():
            names.add(entry)

    # Organisations named in the note: "the Latin America Security College",
    # "'Ecuador Center for Strategic Intelligence'".
    note = places.get("must_not_map_note", "")
    for match in re.finditer(r"the name of the ((?:[A-Z][\w\u00c0-\u024f]*\s+)+?[A-Z][\w\u00c0-\u024f]*)(?=[,;.])", note):
        names.add(match.group(1))
    for match in re.finditer(r"'([^']+)'", note):
        if len(match.group(1).split()) > 2:
            names.add(match.group(1))

    return {name for name in names if name}


def _patterns(names: set[str]) -> list[tuple[str, re.Pattern[str]]]:
    patterns = []
    for name in sorted(names):
        spellings = {name, _fold(name)}
        alternatives = "|".join(r"\s+".join(re.escape(part) for part in s.split()) for s in sorted(spellings))
        patterns.append((name, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)))
    return patterns


def _package_files() -> list[Path]:
    files = set(PACKAGE.rglob("*.py"))
    files.update(p for p in (PACKAGE / "data").rglob("*") if p.is_file())
    return sorted(p for p in files if "__pycache__" not in p.parts and p.resolve() != GOLD.resolve())


def offenders() -> list[str]:
    found = []
    patterns = _patterns(seed_names())
    for path in _package_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = text.splitlines()
        for name, pattern in patterns:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {name!r}: {lines[line - 1].strip()[:120]}")
    return sorted(set(found), key=lambda s: (s.split(":")[0], int(s.split(":")[1]), s))


def test_the_seed_names_are_read_from_the_fixture():
    names = {name.casefold() for name in seed_names()}
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    # every place, every speaker and every person kept off the map is covered
    for place in gold["places"]["required"] + gold["places"]["optional"]:
        assert _capitalised_words(place["name"])[0].split("'")[0].casefold() in names, place["name"]
    for speaker in gold["speakers"]:
        assert speaker.split()[-1].casefold() in names, speaker
    assert len(names) >= 25, sorted(names)


def test_no_seed_name_in_the_package():
    found = offenders()
    assert not found, f"{len(found)} seed names in geo/ (code, docstrings, comments or data):\n" + "\n".join(found)
