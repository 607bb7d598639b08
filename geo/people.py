"""People named in the text, with every place the text mentions them.

A person is found three ways: a title before a name ("Colonel Francisco
Bolognesi"), a full name next to a verb of speech ("Gabriel Boric said"), or a
full name whose surname the article later uses alone ("... Boric claimed").
Every later bare use of the surname ("Bolognesi", "Boric’s") is a mention of
that person, unless a locative preposition makes it a place ("in Lincoln").
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import Lexicon, lexicon
from .tokens import Token, is_capitalized

__all__ = ["Person", "find_people", "strip_possessive", "is_name_word"]

_MAX_NAME_WORDS = 4


@dataclass(frozen=True, slots=True)
class Person:
    """A person: full name without title, and the spans that name them.

    ``mentions`` are ``(start, end)`` offsets of the name (title excluded);
    ``titled`` are the wider spans that include the title, which no other
    stage may read as a place. ``affiliation`` is the word written before the
    title ("Chilean" in "Chilean President Gabriel Boric"), which later
    stages may read as the person's country.
    """

    name: str
    title: str
    mentions: tuple[tuple[int, int], ...]
    titled: tuple[tuple[int, int], ...] = ()
    affiliation: str = ""

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


def strip_possessive(word: str) -> str:
    """``Boric’s`` -> ``Boric``.

    >>> strip_possessive("Boric’s"), strip_possessive("Bolognesi"), strip_possessive("")
    ('Boric', 'Bolognesi', '')
    """
    for suffix in ("\u2019s", "'s", "\u2019", "'"):
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    return word


def is_name_word(word: str, words: Lexicon | None = None) -> bool:
    """A word that can be part of a person's name.

    >>> is_name_word("Núñez"), is_name_word("NATO"), is_name_word("Colonel"), is_name_word("")
    (True, False, False, False)
    """
    words = words or lexicon()
    bare = strip_possessive(word)
    return (
        is_capitalized(bare)
        and bare.replace("-", "").replace("'", "").replace("\u2019", "").isalpha()
        and not (bare.isupper() and len(bare) > 1)
        and bare not in words.titles
        and bare not in words.not_places
        and bare not in words.organisation_keywords
    )


@dataclass(frozen=True, slots=True)
class _Candidate:
    name: tuple[str, ...]
    title: str
    start: int  # of the name
    end: int
    titled_start: int
    affiliation: str = ""


def _name_run(tokens: tuple[Token, ...], index: int, words: Lexicon) -> int:
    """End index of the name that starts at ``index`` (== index if none)."""
    end = index
    while end < len(tokens) and end - index < _MAX_NAME_WORDS:
        token = tokens[end]
        if token.is_word and is_name_word(token.text, words):
            end += 1
            if strip_possessive(token.text) != token.text:
                break  # "Boric’s" ends the name
        elif (
            token.text in words.name_particles
            and end > index
            and end + 1 < len(tokens)
            and is_name_word(tokens[end + 1].text, words)
        ):
            end += 1
        else:
            break
    return end


def _title_at(tokens: tuple[Token, ...], index: int, words: Lexicon) -> int:
    """Number of tokens of the longest title starting at ``index`` (0: none)."""
    for size in range(words.max_title_words, 0, -1):
        if index + size > len(tokens):
            continue
        phrase = " ".join(token.text for token in tokens[index : index + size])
        if phrase in words.titles:
            return size
    return 0


def _is_speech_verb_after(tokens: tuple[Token, ...], end: int, words: Lexicon) -> bool:
    index = end
    if index < len(tokens) and tokens[index].text == ",":
        # An appositive: "Joseph Siegle, director of research at the center, agrees".
        close = next((i for i in range(index + 1, min(len(tokens), index + 25)) if tokens[i].text == ","), None)
        if close is None:
            return False
        index = close + 1
    while index < len(tokens) and tokens[index].text in words.adverbs:
        index += 1
    return index < len(tokens) and tokens[index].text in words.speech_verbs


def _candidates(text: str, tokens: tuple[Token, ...], words: Lexicon) -> list[_Candidate]:
    found = []
    index = 0
    while index < len(tokens):
        title_size = _title_at(tokens, index, words)
        name_start = index + title_size
        name_end = _name_run(tokens, name_start, words)
        if name_end > name_start and (title_size or name_end - name_start >= 2):
            name = tuple(strip_possessive(token.text) for token in tokens[name_start:name_end])
            last = tokens[name_end - 1]
            end = last.start + len(strip_possessive(last.text))
            found.append(
                _Candidate(
                    name=name,
                    title=" ".join(token.text for token in tokens[index:name_start]),
                    start=tokens[name_start].start,
                    end=end,
                    titled_start=tokens[index].start,
                    affiliation=_affiliation(tokens, index) if title_size else "",
                )
            )
            index = name_end
        else:
            index = max(index + 1, name_start)
    return found


def _affiliation(tokens: tuple[Token, ...], title_index: int) -> str:
    """The capitalised word just before a title: "Chilean" President, "Chile’s" President."""
    if title_index == 0:
        return ""
    word = tokens[title_index - 1].text
    return strip_possessive(word) if word[:1].isupper() and word.isalpha() else ""


def _surname_is_reused(candidate: _Candidate, paragraphs_tokens, words: Lexicon) -> bool:
    """Whether the article later speaks of this full name by its surname alone."""
    surname = candidate.name[-1]
    for tokens in paragraphs_tokens:
        for index, token in enumerate(tokens):
            if strip_possessive(token.text) != surname or candidate.start <= token.start < candidate.end:
                continue
            before = tokens[index - 1].text if index else ""
            if before in words.speech_verbs or _is_speech_verb_after(tokens, index + 1, words):
                return True
            if strip_possessive(token.text) != token.text or before == "and":
                return True
    return False


def find_people(text: str, paragraphs_tokens: tuple[tuple[Token, ...], ...]) -> tuple[Person, ...]:
    """People of an article, from its paragraphs' tokens.

    >>> from geo.tokens import tokenize
    >>> t = "Colonel Francisco Bolognesi spoke. Bolognesi also says it. In Lincoln, Anna Smith left."
    >>> [(p.name, p.title, len(p.mentions)) for p in find_people(t, (tokenize(t),))]
    [('Francisco Bolognesi', 'Colonel', 2)]
    >>> find_people("", ())
    ()
    """
    words = lexicon()
    candidates = []
    for tokens in paragraphs_tokens:
        for candidate in _candidates(text, tokens, words):
            index = next(i for i, token in enumerate(tokens) if token.start == candidate.start)
            name_end = index + len(candidate.name)
            spoken = _is_speech_verb_after(tokens, name_end, words) or (
                index > 0 and tokens[index - 1].text in words.speech_verbs
            )
            if candidate.title or spoken or _surname_is_reused(candidate, paragraphs_tokens, words):
                candidates.append(candidate)
    return _merge(text, candidates, paragraphs_tokens, words)


def _merge(text, candidates: list[_Candidate], paragraphs_tokens, words: Lexicon) -> tuple[Person, ...]:
    # One person per surname; the longest name seen is the full name, the
    # first title seen is the title.
    by_surname: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        by_surname.setdefault(candidate.name[-1], []).append(candidate)
    people = []
    for surname, group in by_surname.items():
        full = max(group, key=lambda c: (len(c.name), -c.start))
        title = next((c.title for c in group if c.title), "")
        affiliation = next((c.affiliation for c in group if c.affiliation), "")
        spans = {(c.start, c.end) for c in group}
        titled = {(c.titled_start, c.end) for c in group}
        covered = [(c.titled_start, c.end) for c in group]
        for tokens in paragraphs_tokens:
            for index, token in enumerate(tokens):
                bare = strip_possessive(token.text)
                if bare != surname or any(a <= token.start < b for a, b in covered):
                    continue
                before = tokens[index - 1].text if index else ""
                if before in words.locative_prepositions:
                    continue
                spans.add((token.start, token.start + len(bare)))
        people.append(
            Person(
                name=" ".join(full.name),
                title=title,
                mentions=tuple(sorted(spans)),
                titled=tuple(sorted(titled)),
                affiliation=affiliation,
            )
        )
    people.sort(key=lambda person: person.mentions[0])
    return tuple(people)
