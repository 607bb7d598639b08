"""Tokens as character offsets into the one article text.

Every later stage (sentences, people, quotes, place mentions) works on these
offsets, never on copies of substrings, so that what it finds can always be
pointed at in the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Token", "tokenize", "is_capitalized", "OPENING_QUOTES", "CLOSING_QUOTES"]

OPENING_QUOTES = "\u201c\u00ab\u201e"  # “ « „
CLOSING_QUOTES = "\u201d\u00bb"  # ” »
APOSTROPHES = "'\u2019"

# A word: letters/digits, allowing inner apostrophes and hyphens ("O'Neill",
# "Guinea-Bissau"), or a dotted abbreviation ("B.C.", "U.S.", "St.").
_WORD = r"(?:[^\W_]\.){2,}|[^\W_]+(?:[’'\-][^\W_]+)*\.?"
_TOKEN = re.compile(rf"{_WORD}|\S", re.UNICODE)
_ABBREVIATION_DOT = re.compile(r"^(?:[^\W\d_]\.){2,}$|^(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep|St|Mt|Ft|Jr|Sr|Prof|Rev|Sra|Sr|Cmdr|Adm|Maj|No|vs|etc|Inc|Corp|Co|Ltd|Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec)\.$")


@dataclass(frozen=True, slots=True)
class Token:
    """A word or punctuation mark at ``[start, end)`` of the article text."""

    start: int
    end: int
    text: str
    is_word: bool  # a word (starts with a letter or digit), not punctuation


def _token(start: int, text: str) -> Token:
    return Token(start, start + len(text), text, text[0].isalnum())


def _split_trailing_dot(match: re.Match[str]) -> list[Token]:
    text = match.group()
    start = match.start()
    # "Peru." ends a sentence: the dot is its own token. "U.K." and "Mr."
    # keep theirs, because the dot belongs to the abbreviation.
    if len(text) > 1 and text.endswith(".") and not _ABBREVIATION_DOT.match(text):
        return [_token(start, text[:-1]), _token(start + len(text) - 1, ".")]
    return [_token(start, text)]


def tokenize(text: str, start: int = 0, end: int | None = None) -> tuple[Token, ...]:
    """Tokens of ``text[start:end]`` with offsets into the whole ``text``.

    >>> [t.text for t in tokenize("Lula’s claims, in London, U.K. today.")]
    ['Lula’s', 'claims', ',', 'in', 'London', ',', 'U.K.', 'today', '.']
    >>> tokenize("")
    ()
    """
    stop = len(text) if end is None else end
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text, start, stop):
        tokens.extend(_split_trailing_dot(match))
    return tuple(tokens)


def is_capitalized(word: str) -> bool:
    """Whether a word starts with an upper-case letter.

    >>> is_capitalized("Peru"), is_capitalized("peru"), is_capitalized("")
    (True, False, False)
    """
    return bool(word) and word[0].isupper()
