"""Quotations and who said them.

Quote marks are paired per paragraph (curly, straight and guillemets); a
closing mark with no opening one starts its quote at the first sentence after
the paragraph's previous quote (a common slip in news copy), and an opening
mark never closed runs to the end of its paragraph (the convention for quotes
that go on in the next paragraph). A quote's speaker comes from, in order:
the words right after it ("…,” he said", "…,” says Boric"), the words before
it in its sentence ("he says they “move …”"), the quote it continues, and the
person its paragraph has speaking. Pronouns stand for the last person who
spoke or was spoken of; every speaker is given by full name.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from operator import attrgetter

from .lexicon import Lexicon, lexicon
from .people import Person, strip_possessive
from .spans import Spans
from .tokens import CLOSING_QUOTES, OPENING_QUOTES, Token, offsets_of

__all__ = ["Quote", "find_quotes"]

_ATTRIBUTION_WINDOW = 6  # words after a closing mark in which "X said" may start
_QUOTE_MARKS = OPENING_QUOTES + CLOSING_QUOTES + '"'


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: its stretches of quoted text and its speaker.

    ``start``/``end`` enclose all ``parts`` (a quote split by its attribution
    has two); ``speaker`` is a full name, or ``""`` when nobody can be named.
    """

    paragraph: int
    start: int
    end: int
    speaker: str
    parts: tuple[tuple[int, int], ...]
    attribution: tuple[int, int] | None = None
    partial: bool = False
    opening_mark_missing: bool = False
    closing_mark_missing: bool = False


@dataclass(frozen=True, slots=True)
class _Marks:
    open_at: int | None  # offset of the opening mark, None when missing
    close_at: int | None  # offset of the closing mark, None when missing
    start: int  # quoted text
    end: int


def _pair_marks(text: str, start: int, end: int, marks: str = _QUOTE_MARKS) -> list[_Marks]:
    """Pair the double quote marks of one paragraph; ``marks`` may leave out those the text lacks."""
    pairs: list[_Marks] = []
    open_at: int | None = None
    for index in offsets_of(text, marks, start, end):
        char = text[index]
        # German and Czech open with „ and close with “, which opens in English.
        closes_low_mark = char == "\u201c" and open_at is not None and text[open_at] == "\u201e"
        if not closes_low_mark and (char in OPENING_QUOTES or (char == '"' and open_at is None and _opens(text, index, start))):
            if open_at is not None:  # never closed: ends where the next one opens
                pairs.append(_Marks(open_at, None, open_at + 1, index))
            open_at = index
        elif closes_low_mark or char in CLOSING_QUOTES or char == '"':
            if open_at is None:
                pairs.append(_Marks(None, index, -1, index))
            else:
                pairs.append(_Marks(open_at, index, open_at + 1, index))
                open_at = None
    if open_at is not None:
        pairs.append(_Marks(open_at, None, open_at + 1, end))
    return pairs


def _opens(text: str, index: int, paragraph_start: int) -> bool:
    # A straight mark opens after a space or bracket and before a word.
    before = text[index - 1] if index > paragraph_start else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isspace() or before in "([{\u2014-:") and not after.isspace()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    person: Person | None  # None for a pronoun
    speaking: bool  # subject of a verb of speech
    possessive: bool
    governed: bool  # object of a preposition ("with Boric")


class _Paragraph:
    """What attribution needs to know about one paragraph."""

    def __init__(self, text, index, start, end, tokens, sentences, people, quoted, words: Lexicon, spans=None):
        self.text = text
        self.index = index
        self.start = start
        self.end = end
        self.tokens = tokens
        self.sentences = sentences
        self.words = words
        self.mentions = self._mentions(people, quoted, spans)
        self._token_starts: list[int] | None = None

    def _mentions(self, people: tuple[Person, ...], quoted, spans=None) -> list[_Mention]:
        """``spans`` is what :func:`_named_by_paragraph` finds for this paragraph, if known."""
        if spans is None:
            spans = {}
            for person in people:
                for start, end in person.mentions:
                    if self.start <= start < self.end:
                        spans[start] = (end, person)
        mentions = []
        pronouns = self.words.pronouns
        # Most tokens name no one: passed over at once, before the look-up in the quoted spans.
        if pronouns.isdisjoint(map(_TEXT, self.tokens)):
            # No pronoun (most paragraphs): the tokens where the people's names start, found by bisection.
            indices = []
            for start in spans:
                index = bisect.bisect_left(self.tokens, start, key=_START)
                if index < len(self.tokens) and self.tokens[index].start == start:
                    indices.append(index)
            indices.sort()
        else:
            indices = [i for i, token in enumerate(self.tokens) if token.start in spans or token.text in pronouns]
        if not indices:
            return mentions
        inside = Spans(quoted)
        for index in indices:
            token = self.tokens[index]
            if token.start in inside:
                continue
            if token.start in spans:
                end, person = spans[token.start]
                last = index
                while last + 1 < len(self.tokens) and self.tokens[last + 1].start < end:
                    last += 1
            elif token.text in self.words.pronouns:
                person, last = None, index
            else:
                continue
            before = self._titled_start(index)
            mentions.append(
                _Mention(
                    start=token.start,
                    end=self.tokens[last].end,
                    person=person,
                    speaking=self._speaks(before, last),
                    possessive=strip_possessive(self.tokens[last].text) != self.tokens[last].text,
                    governed=before > 0 and self.tokens[before - 1].text.lower() in self.words.locative_prepositions | {"with", "by", "on", "for", "about"},
                )
            )
        return mentions

    def _titled_start(self, index: int) -> int:
        # Walk back over the title and epithets of a name: "Chilean President Gabriel Boric".
        while index > 0 and self.tokens[index - 1].is_word and self.tokens[index - 1].text[0].isupper():
            index -= 1
        return index

    def _speaks(self, first: int, last: int) -> bool:
        words, tokens = self.words, self.tokens
        if first > 0 and tokens[first - 1].text in words.speech_verbs:
            return True
        index = last + 1
        if index < len(tokens) and tokens[index].text == ",":
            close = next((i for i in range(index + 1, min(len(tokens), index + 25)) if tokens[i].text == ","), None)
            if close is None:
                return False
            index = close + 1
        elif index + 1 < len(tokens) and tokens[index].text == "and" and tokens[index + 1].text[:1].isupper():
            index += 2  # "Both Boric and Núñez say"
        while index < len(tokens) and tokens[index].text in words.adverbs:
            index += 1
        return index < len(tokens) and tokens[index].text in words.speech_verbs

    def token_index(self, offset: int) -> int:
        """Index of the first token at or after ``offset``."""
        if self._token_starts is None:  # asked only for paragraphs with quotes: built then, once
            self._token_starts = [token.start for token in self.tokens]
        return bisect.bisect_left(self._token_starts, offset)

    def sentence_of(self, offset: int) -> tuple[int, int]:
        return next(((a, b) for a, b in self.sentences if a <= offset < b), (self.start, self.end))


_TEXT = attrgetter("text")
_START = attrgetter("start")


def _named_by_paragraph(paragraphs: tuple[tuple[int, int], ...], people: tuple[Person, ...]) -> list[dict[int, tuple[int, Person]] | None]:
    """For each paragraph, where each person's name starts in it: start -> (end, person),
    the last person named at an offset kept (each mention is placed by bisection).
    Paragraphs out of order or overlapping (not split_paragraphs') are left to each paragraph (None)."""
    if any(a[1] > b[0] for a, b in zip(paragraphs, paragraphs[1:])):
        return [None] * len(paragraphs)
    named: list[dict[int, tuple[int, Person]] | None] = [{} for _ in paragraphs]
    starts = [start for start, _ in paragraphs]
    for person in people:
        for start, end in person.mentions:
            index = bisect.bisect_right(starts, start) - 1
            if index >= 0 and start < paragraphs[index][1]:
                named[index][start] = (end, person)
    return named


def find_quotes(
    text: str,
    paragraphs: tuple[tuple[int, int], ...],
    paragraph_tokens: tuple[tuple[Token, ...], ...],
    paragraph_sentences: tuple[tuple[tuple[int, int], ...], ...],
    people: tuple[Person, ...],
) -> tuple[Quote, ...]:
    """Every quote of the article with its speaker.

    >>> from geo.article import read_article
    >>> a = read_article("T\\nColonel Ana Ruiz spoke. “We are ready,” she said. “All of us.”")
    >>> [(a.text[q.start:q.end], q.speaker) for q in a.quotes]
    [('We are ready', 'Ana Ruiz'), ('All of us.', 'Ana Ruiz')]
    >>> find_quotes("", (), (), (), ())
    ()
    """
    words = lexicon()
    quotes: list[Quote] = []
    last_speaker = ""
    named = _named_by_paragraph(paragraphs, people)
    written = "".join(mark for mark in _QUOTE_MARKS if mark in text)  # most articles use one or two kinds
    for index, (start, end) in enumerate(paragraphs):
        marks = _pair_marks(text, start, end, written)
        marks = _open_missing(text, marks, paragraph_sentences[index], start)
        quoted = [(m.start, m.end) for m in marks]
        paragraph = _Paragraph(
            text, index, start, end, paragraph_tokens[index], paragraph_sentences[index], people, quoted, words,
            named[index],
        )
        found: list[Quote] = []
        for mark in marks:
            quote = _attribute(paragraph, mark, found, last_speaker)
            if quote is None:
                continue
            if found and _continues(text, found[-1], quote):
                previous = found.pop()
                quote = Quote(
                    paragraph=index,
                    start=previous.start,
                    end=quote.end,
                    speaker=previous.speaker or quote.speaker,
                    parts=previous.parts + quote.parts,
                    attribution=previous.attribution,
                    partial=previous.partial,
                    opening_mark_missing=previous.opening_mark_missing,
                    closing_mark_missing=quote.closing_mark_missing,
                )
            found.append(quote)
        quotes.extend(found)
        last_speaker = _last_speaker(paragraph, found, last_speaker)
    return tuple(quotes)


def _open_missing(text: str, marks: list[_Marks], sentences, paragraph_start: int) -> list[_Marks]:
    """Give a quote whose opening mark is missing its start."""
    fixed = []
    for mark in marks:
        if mark.open_at is None:
            floor = fixed[-1].close_at + 1 if fixed and fixed[-1].close_at is not None else paragraph_start
            # The quote begins with the first sentence after the previous quote's.
            sentence_after = [a for a, b in sentences if a >= floor and a < mark.close_at]
            previous_ends = [b for a, b in sentences if a < floor <= b]
            candidates = [a for a in sentence_after if not previous_ends or a >= previous_ends[0]]
            begin = candidates[0] if candidates else floor
            mark = _Marks(None, mark.close_at, begin, mark.close_at)
        fixed.append(mark)
    return [m for m in fixed if _trim(text, m.start, m.end)[0] < _trim(text, m.start, m.end)[1]]


def _attribute(paragraph: _Paragraph, mark: _Marks, earlier: list[Quote], last_speaker: str) -> Quote | None:
    text = paragraph.text
    start, end = _trim(text, mark.start, mark.end)
    if start >= end:
        return None
    sentence = paragraph.sentence_of(mark.open_at if mark.open_at is not None else start)
    before_text = text[sentence[0] : mark.open_at if mark.open_at is not None else start].strip()
    partial = bool(before_text) and not before_text.endswith((":", ",")) and mark.open_at is not None
    speaker, attribution = "", None
    after = _attribution_after(paragraph, mark)
    if after is None:
        after = _attribution_before(paragraph, mark, sentence)
    if after is not None:
        mention = after
        speaker = _speaker_of(paragraph, mention, last_speaker)
        attribution = (mention.start, mention.end)
    if not speaker and earlier:
        speaker = earlier[-1].speaker
    if not speaker:
        speaker = _paragraph_speaker(paragraph, start) or (
            last_speaker if not text[paragraph.start : start].strip(" \u201c\"") else ""
        )
    return Quote(
        paragraph=paragraph.index,
        start=start,
        end=end,
        speaker=speaker,
        parts=((start, end),),
        attribution=attribution,
        partial=partial,
        opening_mark_missing=mark.open_at is None,
        closing_mark_missing=mark.close_at is None,
    )


def _attribution_after(paragraph: _Paragraph, mark: _Marks) -> _Mention | None:
    if mark.close_at is None:
        return None
    sentence_end = paragraph.sentence_of(mark.close_at)[1]
    first = paragraph.token_index(mark.close_at + 1)
    window = [
        t for t in paragraph.tokens[first : first + _ATTRIBUTION_WINDOW] if t.start < sentence_end
    ]
    if not window or window[0].text in OPENING_QUOTES + '"':
        return None
    for mention in paragraph.mentions:
        if not window[0].start <= mention.start <= window[-1].start:
            continue
        between = paragraph.text[window[0].start : mention.start].split()
        # Only a speech verb or the speaker's own epithets may come first.
        if mention.speaking and all(w[0].isupper() or w in paragraph.words.speech_verbs for w in between):
            return mention
    return None


def _attribution_before(paragraph: _Paragraph, mark: _Marks, sentence: tuple[int, int]) -> _Mention | None:
    opening = mark.open_at if mark.open_at is not None else mark.start
    candidates = [
        m for m in paragraph.mentions if sentence[0] <= m.start < opening and m.speaking and not m.possessive
    ]
    return candidates[-1] if candidates else None


def _speaker_of(paragraph: _Paragraph, mention: _Mention, last_speaker: str) -> str:
    if mention.person is not None:
        return mention.person.name
    return _resolve_pronoun(paragraph, mention.start, last_speaker)


def _resolve_pronoun(paragraph: _Paragraph, offset: int, last_speaker: str) -> str:
    before = [m for m in paragraph.mentions if m.start < offset and m.person is not None]
    for pick in (
        lambda m: m.speaking and not m.possessive,
        lambda m: not m.possessive and not m.governed,
    ):
        chosen = [m for m in before if pick(m)]
        if chosen:
            return chosen[-1].person.name
    return last_speaker


def _paragraph_speaker(paragraph: _Paragraph, offset: int) -> str:
    """The person a paragraph has speaking, for a quote with no attribution."""
    named = [m for m in paragraph.mentions if m.person is not None]
    before = [m for m in named if m.start < offset]
    for pool in (before, named):
        speaking = [m for m in pool if m.speaking and not m.possessive]
        if speaking:
            return speaking[-1].person.name
    subjects = [m for m in before if not m.possessive and not m.governed]
    return subjects[-1].person.name if subjects else ""


def _continues(text: str, previous: Quote, quote: Quote) -> bool:
    """Whether ``quote`` is the second half of a quote split by its attribution."""
    if previous.attribution is None or quote.opening_mark_missing:
        return False
    if quote.attribution not in (None, previous.attribution):
        return False
    gap = text[previous.end : quote.start]
    first = text[quote.start]
    return first.islower() and gap.rstrip(" \u201c\"").endswith(",") and "." not in gap


def _last_speaker(paragraph: _Paragraph, found: list[Quote], previous: str) -> str:
    if found and found[-1].speaker:
        return found[-1].speaker
    speaking = [m for m in paragraph.mentions if m.person is not None and m.speaking and not m.possessive]
    return speaking[-1].person.name if speaking else previous
