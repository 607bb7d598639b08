"""People named in the text, with every place the text mentions them.

A person is found three ways: a title before a name ("Colonel Francisco
Bolognesi"), a full name next to a verb of speech ("Gabriel Boric said"), or a
full name whose surname the article later uses alone ("... Boric claimed").
Every later bare use of the surname ("Bolognesi", "Boric’s") is a mention of
that person, unless a preposition of place makes it a place ("in Lincoln",
"flew to Lincoln"; "the job was offered to Lincoln" is still the person).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

from .lexicon import Lexicon, lexicon
from .tokens import Token, capitalized_indices, offsets_of

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
    evidence: tuple[str, ...] = ()

    @property
    def titled_evidence(self) -> bool:
        """Whether a title vouches for this person (nothing can make them a place)."""
        return "title" in self.evidence

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


def strip_possessive(word: str) -> str:
    """``Boric’s`` -> ``Boric``.

    >>> strip_possessive("Boric’s"), strip_possessive("Bolognesi"), strip_possessive("")
    ('Boric', 'Bolognesi', '')
    """
    if "'" not in word and "\u2019" not in word:  # the usual case, decided at once
        return word
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
        bare[:1].isupper()  # is_capitalized
        # most words are letters alone: only the others are asked again without their hyphens and apostrophes
        and (bare.isalpha() or bare.replace("-", "").replace("'", "").replace("\u2019", "").isalpha())
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
    """Number of tokens of the longest title starting at ``index`` (0: none).
    A lower-case role word ("leader", "brother") is a one-word title."""
    if tokens[index].text in words.roles:
        return 1
    if tokens[index].text not in words.title_first_words:
        return 0
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


_TEXT = attrgetter("text")
_START = attrgetter("start")


def _candidates(text: str, tokens: tuple[Token, ...], words: Lexicon, capitals: Sequence[int] | None = None) -> list[tuple[int, _Candidate]]:
    """Name-shaped runs, with a title before them or not, and the index where the name starts.

    ``capitals`` are :func:`~geo.tokens.capitalized_indices` of the tokens, if known.
    """
    found = []
    # Names and titles start with a capital; roles are the exception. Only
    # those tokens can start a candidate: the others are passed over at once.
    if capitals is None:
        capitals = capitalized_indices(tokens)
    written = words.roles.intersection(map(_TEXT, tokens))
    if not written:  # most paragraphs: no role word, the capitals alone
        starts = capitals
    else:
        # Each role word written is looked for in the text and matched to its token,
        # rather than every token being asked whether it is one.
        marked = set(capitals)
        for at in offsets_of(text, written, tokens[0].start, tokens[-1].end):
            index = bisect.bisect_left(tokens, at, key=_START)
            if index < len(tokens) and tokens[index].start == at and tokens[index].text in written:
                marked.add(index)
        starts = sorted(marked)
    resume = 0  # tokens before this belong to a name already found, or were passed over
    for index in starts:
        if index < resume:
            continue
        title_size = _title_at(tokens, index, words)
        name_start = index + title_size
        name_end = _name_run(tokens, name_start, words)
        if name_end > name_start and tokens[name_end - 1].text in words.place_suffixes:
            name_end -= 1  # "Harris County", "Polk District" name places, not people
        if name_end > name_start and (title_size or name_end - name_start >= 2):
            name = tuple(strip_possessive(token.text) for token in tokens[name_start:name_end])
            last = tokens[name_end - 1]
            end = last.start + len(strip_possessive(last.text))
            candidate = _Candidate(
                name=name,
                title=" ".join(token.text for token in tokens[index:name_start]),
                start=tokens[name_start].start,
                end=end,
                titled_start=tokens[index].start,
                affiliation=_affiliation(tokens, index) if title_size else "",
            )
            found.append((name_start, candidate))
            resume = name_end
        else:
            resume = max(index + 1, name_start)
    return found


def _affiliation(tokens: tuple[Token, ...], title_index: int) -> str:
    """The capitalised word just before a title: "Chilean" President, "Chile’s" President."""
    if title_index == 0:
        return ""
    word = tokens[title_index - 1].text
    return strip_possessive(word) if word[:1].isupper() and word.isalpha() else ""


def _occurrences(paragraphs_tokens, capitals) -> dict[str, list[tuple[tuple[Token, ...], int]]]:
    """Where each capitalised word stands, possessive stripped: (paragraph tokens, index) pairs.

    ``capitals`` are :func:`~geo.tokens.capitalized_indices` of each paragraph's tokens.
    """
    where: dict[str, list[tuple[tuple[Token, ...], int]]] = {}
    for tokens, indices in zip(paragraphs_tokens, capitals):
        for index in indices:
            token = tokens[index]
            if token.is_word:
                where.setdefault(strip_possessive(token.text), []).append((tokens, index))
    return where


def _surname_speaks(candidate: _Candidate, where, words: Lexicon) -> bool:
    """Whether the article later has this full name's surname alone speaking ("Mendoza says")."""
    for tokens, index in where.get(candidate.name[-1], ()):
        if candidate.start <= tokens[index].start < candidate.end:
            continue
        before = tokens[index - 1].text if index else ""
        if before in words.speech_verbs or _is_speech_verb_after(tokens, index + 1, words):
            return True
    return False


def find_people(
    text: str, paragraphs_tokens: tuple[tuple[Token, ...], ...], capitals: Sequence[Sequence[int]] | None = None
) -> tuple[Person, ...]:
    """People of an article, from its paragraphs' tokens.

    A person's ``evidence`` says how they were found: ``title``, ``given``
    (a known given name starts the name), ``speech`` (the name beside a verb
    of speech) or ``surname`` (the surname alone speaks later). Only a title
    is strong: a later stage may read a name found otherwise as a place when
    it is one ("Tamil Nadu said"). ``capitals``, if given, are
    :func:`~geo.tokens.capitalized_indices` of each paragraph's tokens.

    >>> from geo.tokens import tokenize
    >>> t = "Colonel Francisco Bolognesi spoke. Bolognesi also says it. In Lincoln, Anna Smith left."
    >>> [(p.name, p.title, len(p.mentions), p.evidence) for p in find_people(t, (tokenize(t),))]
    [('Francisco Bolognesi', 'Colonel', 2, ('title',)), ('Anna Smith', '', 1, ('given',))]
    >>> find_people("", ())
    ()
    """
    words = lexicon()
    if capitals is None:
        capitals = [capitalized_indices(tokens) for tokens in paragraphs_tokens]
    where = _occurrences(paragraphs_tokens, capitals)
    found: list[tuple[_Candidate, tuple[str, ...]]] = []
    for tokens, paragraph_capitals in zip(paragraphs_tokens, capitals):
        for index, candidate in _candidates(text, tokens, words, paragraph_capitals):
            name_end = index + len(candidate.name)
            evidence = []
            if candidate.title:
                evidence.append("title")
            if len(candidate.name) >= 2 and candidate.name[0] in words.given_names:
                evidence.append("given")
            if _is_speech_verb_after(tokens, name_end, words) or (index > 0 and tokens[index - 1].text in words.speech_verbs):
                evidence.append("speech")
            if not evidence and _surname_speaks(candidate, where, words):
                evidence.append("surname")
            if evidence:
                found.append((candidate, tuple(evidence)))
    return _merge(found, where, words)


def _placed_by_preposition(tokens, index: int, words: Lexicon) -> bool:
    """Whether the preposition before a bare surname makes it a place: "in
    Zorbas" and "residents of Zorbas" do; "offered to Zorbas" does not, but
    "flew to Zorbas" does (a word of going before "to", "from" or "at").

    >>> from geo.tokens import tokenize
    >>> from geo.lexicon import lexicon
    >>> [_placed_by_preposition(tokenize(text), 2, lexicon()) for text in ("flew in Zorbas", "job to Zorbas", "flew to Zorbas", "residents of Zorbas")]
    [True, False, True, True]
    >>> _placed_by_preposition(tokenize("Zorbas"), 0, lexicon())
    False
    """
    if index < 1:
        return False
    before = tokens[index - 1].text
    if before not in words.locative_prepositions:
        return False
    return before not in words.person_prepositions or index > 1 and tokens[index - 2].text.lower() in words.motion_words


def _merge(found: list[tuple[_Candidate, tuple[str, ...]]], where, words: Lexicon) -> tuple[Person, ...]:
    # One person per surname; the longest name seen is the full name, the
    # first title seen is the title.
    by_surname: dict[str, list[tuple[_Candidate, tuple[str, ...]]]] = {}
    for candidate, evidence in found:
        by_surname.setdefault(candidate.name[-1], []).append((candidate, evidence))
    people = []
    for surname, group in by_surname.items():
        candidates = [c for c, _ in group]
        full = max(candidates, key=lambda c: (len(c.name), -c.start))
        spans = {(c.start, c.end) for c in candidates}
        covered = [(c.titled_start, c.end) for c in candidates]
        for tokens, index in where.get(surname, ()):
            token = tokens[index]
            if any(a <= token.start < b for a, b in covered):
                continue
            if _placed_by_preposition(tokens, index, words):
                continue
            spans.add((token.start, token.start + len(surname)))
        people.append(
            Person(
                name=" ".join(full.name),
                title=next((c.title for c in candidates if c.title), ""),
                mentions=tuple(sorted(spans)),
                titled=tuple(sorted({(c.titled_start, c.end) for c in candidates})),
                affiliation=next((c.affiliation for c in candidates if c.affiliation), ""),
                evidence=tuple(dict.fromkeys(e for _, evidence in group for e in evidence)),
            )
        )
    people.sort(key=lambda person: person.mentions[0])
    return tuple(people)
