"""Tokens as character offsets into the one article text.

Every later stage (sentences, people, quotes, place mentions) works on these
offsets, never on copies of substrings, so that what it finds can always be
pointed at in the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress

__all__ = ["Token", "offsets_of", "tokenize", "tokenize_capitalized", "is_capitalized", "capitalized_indices", "runs", "OPENING_QUOTES", "CLOSING_QUOTES"]

OPENING_QUOTES = "\u201c\u00ab\u201e"  # “ « „
CLOSING_QUOTES = "\u201d\u00bb"  # ” »
APOSTROPHES = "'\u2019"

# In order: an abbreviation that keeps its dot ("Mr.", "St."), a dotted
# abbreviation ("B.C.", "U.S."), a word of letters and digits with inner
# apostrophes and hyphens ("O'Neill", "Guinea-Bissau"), any other character.
# A full stop after an ordinary word is a token of its own ("Peru" ".").
_ABBREVIATIONS = (
    "Mrs|Mr|Ms|Dr|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep|St|Mt|Ft|Jr|Sra|Sr|Prof|Rev|Cmdr|Adm|Maj|No|vs|etc"
    "|Inc|Corp|Co|Ltd|Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec"
)


def _prefix_tree(words: Iterable[str]) -> str:
    """A regular expression for exactly these words, spelled as a tree of
    their common beginnings, so that a text is compared with each letter once
    and not with every word in turn.

    >>> _prefix_tree(["Mrs", "Mr", "Ms", "No"])
    '(?:M(?:r(?:s)?|s)|No)'
    >>> re.fullmatch(_prefix_tree(["Sept", "Sep", "St"]), "Sep") is not None
    True
    """
    branches: dict[str, list[str]] = {}
    for word in words:
        branches.setdefault(word[:1], []).append(word[1:])
    options = [re.escape(first) + _prefix_tree(rests) for first, rests in branches.items() if first]
    if not options:
        return ""
    tree = options[0] if len(options) == 1 else f"(?:{'|'.join(options)})"
    return f"(?:{tree})?" if "" in branches else tree  # a word may end here


# Each match is the white space before a token, then the token: the offsets
# follow from the lengths, so findall (no match objects) reads the text.
# The abbreviations are a prefix tree behind a look-ahead at their first
# letters, and a word's hyphenated or elided parts are taken possessively
# (nothing follows them to give any back): the same tokens, read in fewer steps.
_SPACE_AND_TOKEN = re.compile(
    rf"(\s*)((?<![^\W_])(?=[{''.join(sorted({word[0] for word in _ABBREVIATIONS.split('|')}))}])"
    rf"{_prefix_tree(_ABBREVIATIONS.split('|'))}\.|(?:[^\W\d_]\.){{2,}}|[^\W_]+(?:[\u2019'\-][^\W_]+)*+|\S)",
    re.UNICODE,
)


@dataclass(frozen=True, slots=True)
class Token:
    """A word or punctuation mark at ``[start, end)`` of the article text."""

    start: int
    end: int
    text: str
    is_word: bool  # a word (starts with a letter or digit), not punctuation


def tokenize(text: str, start: int = 0, end: int | None = None) -> tuple[Token, ...]:
    """Tokens of ``text[start:end]`` with offsets into the whole ``text``.

    >>> [t.text for t in tokenize("Lula’s claims, in London, U.K. today.")]
    ['Lula’s', 'claims', ',', 'in', 'London', ',', 'U.K.', 'today', '.']
    >>> tokenize("")
    ()
    >>> tokenize("wet, ok") == (Token(0, 3, "wet", True), Token(3, 4, ",", False), Token(5, 7, "ok", True))
    True
    >>> tokenize("wet, ok", -4) == tokenize("wet, ok")  # a position before the text is its start, as for re
    True
    """
    return tokenize_capitalized(text, start, end)[0]


def tokenize_capitalized(text: str, start: int = 0, end: int | None = None) -> tuple[tuple[Token, ...], tuple[int, ...]]:
    """:func:`tokenize`, and :func:`capitalized_indices` of the tokens, found on the way.

    >>> tokens, capitals = tokenize_capitalized("In Oslo, the Glomma rose.")
    >>> [tokens[i].text for i in capitals]
    ['In', 'Oslo', 'Glomma']
    """
    stop = len(text) if end is None else end
    new, set_start, set_end, set_text, set_is_word = _TOKEN_BUILDER
    tokens: list[Token] = []
    capitals: list[int] = []
    offset = min(max(start, 0), len(text))  # where re starts reading, whatever position is asked
    for space, word in _SPACE_AND_TOKEN.findall(text, start, stop):
        token = new(Token)
        offset += len(space)
        set_start(token, offset)
        offset += len(word)
        set_end(token, offset)
        set_text(token, word)
        first = word[0]
        if first.isupper():
            capitals.append(len(tokens))
        set_is_word(token, first.isalnum())
        tokens.append(token)
    return tuple(tokens), tuple(capitals)


# An article has thousands of tokens. A frozen dataclass's __init__ sets each
# slot through object.__setattr__; setting the slots directly (the same
# values, nothing else) builds a token in half the time.
_TOKEN_BUILDER = (
    object.__new__,
    Token.start.__set__,
    Token.end.__set__,
    Token.text.__set__,
    Token.is_word.__set__,
)


def is_capitalized(word: str) -> bool:
    """Whether a word starts with an upper-case letter.

    >>> is_capitalized("Peru"), is_capitalized("peru"), is_capitalized("")
    (True, False, False)
    """
    return bool(word) and word[0].isupper()


def capitalized_indices(tokens: tuple[Token, ...]) -> list[int]:
    """Indices of the tokens that start with an upper-case character, words or not.

    Several stages start from these (names, organisations, place names): an
    article works them out once per paragraph and hands them on.

    >>> capitalized_indices(tokenize("In Oslo, the Glomma rose."))
    [0, 1, 4]
    """
    return [index for index, token in enumerate(tokens) if token.text[0].isupper()]


def runs(tokens: tuple[Token, ...], free: list[bool], joins) -> list[tuple[int, int]]:
    """Index ranges ``[i, j)`` of free tokens, bridging single joining tokens between them.

    ``free[k]`` says whether token ``k`` may be part of a run; ``joins(text)``
    whether a token may bridge two free ones ("of" in "Gulf of Aden").

    >>> t = tokenize("Gulf of Aden and the sea")
    >>> runs(t, [w.text[0].isupper() for w in t], {"of", "and"}.__contains__)
    [(0, 3)]
    >>> runs((), [], str.isalpha)
    []
    """
    found = []
    count = len(tokens)
    end = 0
    # Most tokens are not free: only the free ones are visited, each run from its first.
    for index in compress(range(count), free):
        if index < end:
            continue  # inside the run just found
        end = index + 1
        while end < count:
            if free[end]:
                end += 1
            elif end + 1 < count and free[end + 1] and joins(tokens[end].text):
                end += 1
            else:
                break
        found.append((index, end))
    return found


def offsets_of(text: str, needles: Iterable[str], start: int = 0, end: int | None = None) -> list[int]:
    """Where each of ``needles`` (marks like ".!", or words) starts in
    ``text[start:end]``, in order. Each is looked for with ``str.find``, far
    faster than visiting every token for the few a paragraph holds.

    >>> offsets_of("Ha. Ho! Hi.", ".!"), offsets_of("Ha. Ho! Hi.", ".!", 3, 9), offsets_of("", ".")
    ([2, 6, 10], [6], [])
    >>> offsets_of("the mayor met the deputy mayor", {"mayor", "deputy"})
    [4, 18, 25]
    """
    end = len(text) if end is None else end
    found = []
    for needle in needles:
        at = text.find(needle, start, end)
        while at >= 0:
            found.append(at)
            at = text.find(needle, at + 1, end)
    found.sort()
    return found
