"""Paragraphs and sentences, as offsets into the article text."""

from __future__ import annotations

import bisect
from operator import attrgetter

from .tokens import CLOSING_QUOTES, Token, offsets_of, tokenize

__all__ = ["split_paragraphs", "split_sentences"]

_SENTENCE_END = ".!?"
_START = attrgetter("start")
_TRAILERS = CLOSING_QUOTES + "\"')]\u2019"
_TRAILERS_AND_ENDS = _TRAILERS + _SENTENCE_END
# After a dotted abbreviation ("U.S.") a capital letter usually continues the
# sentence ("U.S. President"); only these words make us believe it ended.
_SENTENCE_STARTERS = frozenset(
    "The A An He She It They We I But And In On At This That These Those There His Her Its Their Our".split()
)


def split_paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of every non-empty line, whitespace trimmed.

    The first one is the headline.

    >>> split_paragraphs("Title\\n\\n  Body one. \\nBody two")
    ((0, 5), (9, 18), (20, 28))
    >>> split_paragraphs(" \\n\\n")
    ()
    """
    spans = []
    # The runs of characters between line breaks ("\r" or "\n"): split in C, each
    # followed by one break, and trimmed of what str.isspace calls white space.
    offset = 0
    for line in text.replace("\r", "\n").split("\n"):
        if line:
            words = line.strip()
            if words:
                start = offset + len(line) - len(line.lstrip())
                spans.append((start, start + len(words)))
        offset += len(line) + 1
    return tuple(spans)


def split_sentences(text: str, start: int, end: int, tokens: tuple[Token, ...] | None = None) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of the sentences of ``text[start:end]``.

    A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes and
    brackets after it) when the next word starts a new sentence. ``tokens``,
    if given, are the paragraph's tokens (saves tokenizing it again).

    >>> t = "He met Mr. Boric in the U.S. capital. “Yes,” he said. Then left."
    >>> [t[a:b] for a, b in split_sentences(t, 0, len(t))]
    ['He met Mr. Boric in the U.S. capital.', '“Yes,” he said.', 'Then left.']
    >>> split_sentences("", 0, 0)
    ()
    """
    if tokens is None:
        tokens = tokenize(text, start, end)
    if not tokens:
        return ()
    sentences = []
    sentence_start = tokens[0].start
    # Only a token ending in ".", "!" or "?" can end a sentence: the rest are passed over at
    # once. Those tokens are found from the marks in the text (str.find, much faster than
    # visiting the tokens), each matched to the token holding it (every character but white
    # space is in a token): a mark ends its token or not.
    first, stop = tokens[0].start, tokens[-1].end
    ends = []
    for at in offsets_of(text, _SENTENCE_END, first, stop):
        index = bisect.bisect_right(tokens, at, key=_START) - 1
        if tokens[index].end == at + 1:
            ends.append(index)
    resume = 0  # tokens before this were read as the trailers of a sentence's end
    for index in ends:
        if index < resume:
            continue
        token = tokens[index]
        ends_here = token.text in _SENTENCE_END or (
            token.text.endswith(".") and len(token.text) > 1 and _ends_dotted(tokens, index)
        )
        if ends_here:
            last = index
            while last + 1 < len(tokens) and tokens[last + 1].text in _TRAILERS_AND_ENDS:
                last += 1
            if last + 1 >= len(tokens) or _starts_sentence(tokens[last + 1].text):
                sentences.append((sentence_start, tokens[last].end))
                if last + 1 < len(tokens):
                    sentence_start = tokens[last + 1].start
                resume = last + 1
    if not sentences or sentences[-1][1] < tokens[-1].end:
        sentences.append((sentence_start, tokens[-1].end))
    return tuple(sentences)


def _ends_dotted(tokens, index: int) -> bool:
    # "U.K." or "U.S." ends a sentence only when a usual sentence opener follows.
    following = tokens[index + 1].text if index + 1 < len(tokens) else ""
    return not following or following in _SENTENCE_STARTERS or following[0] in "\u201c\"" 


def _starts_sentence(word: str) -> bool:
    return word[0].isupper() or word[0].isdigit() or word[0] in "\u201c\"'\u2018(\u00ab\u201e"
