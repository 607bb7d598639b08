"""Organisations named in the text: their names hide the places inside them.

"Africa Center for Strategic Studies" names an institution, not Africa;
"College of Europe" is a college, not a region. A run of
capitalised words (with "of", "for", "and" ... between them) that holds an
organisation keyword is one organisation, and a bracketed acronym right after
it ("(ACSS)") is its short name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .lexicon import lexicon
from .tokens import Token, capitalized_indices, runs

__all__ = ["Organisation", "find_organisations"]


@dataclass(frozen=True, slots=True)
class Organisation:
    """An organisation's name at ``[start, end)``; ``acronym`` if one follows."""

    name: str
    start: int
    end: int
    acronym: str = ""


def _capitalised_runs(tokens: tuple[Token, ...], connectors: frozenset[str], capitals: Sequence[int]) -> list[tuple[int, int]]:
    """Index ranges ``[i, j)`` of capitalised words joined by connectors;
    ``capitals`` are :func:`~geo.tokens.capitalized_indices` of the tokens."""
    # A word token is never empty, so its first letter says what is_capitalized would.
    free = [False] * len(tokens)
    for index in capitals:  # most tokens are not capitalised: only these are visited
        if tokens[index].is_word:
            free[index] = True
    return runs(tokens, free, connectors.__contains__)


def find_organisations(text: str, tokens: tuple[Token, ...], capitals: Sequence[int] | None = None) -> tuple[Organisation, ...]:
    """Organisations among the tokens of one paragraph (``capitals``, if
    given, are :func:`~geo.tokens.capitalized_indices` of the tokens).

    >>> from geo.tokens import tokenize
    >>> t = "Siegle, of the Africa Center for Strategic Studies (ACSS), spoke in Nairobi."
    >>> [(o.name, o.acronym) for o in find_organisations(t, tokenize(t))]
    [('Africa Center for Strategic Studies', 'ACSS')]
    >>> find_organisations("", ())
    ()
    """
    if capitals is None:
        capitals = capitalized_indices(tokens)
    if not capitals:  # no capitalised word, no name
        return ()
    words = lexicon()
    leading = words.locative_prepositions | {"the", "a", "an"}
    found = []
    for first, end in _capitalised_runs(tokens, words.organisation_connectors, capitals):
        # A leading preposition or article is the sentence's, not the name's.
        while first < end and tokens[first].text.lower() in leading:
            first += 1
        while end > first and tokens[end - 1].text in words.organisation_connectors:
            end -= 1
        run = tokens[first:end]
        if not any(_bare(token.text) in words.organisation_keywords for token in run):
            continue
        acronym = _acronym_after(tokens, end)
        start, stop = run[0].start, run[-1].end
        found.append(Organisation(text[start:stop], start, stop, acronym))
    return tuple(found)


def _bare(word: str) -> str:
    if "'" not in word and "\u2019" not in word:  # most words: no possessive, decided at once
        return word
    for suffix in ("\u2019s", "'s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _acronym_after(tokens: tuple[Token, ...], end: int) -> str:
    if end + 2 < len(tokens) and tokens[end].text == "(" and tokens[end + 2].text == ")":
        candidate = tokens[end + 1].text
        if candidate.isupper() and candidate.isalpha():
            return candidate
    return ""
