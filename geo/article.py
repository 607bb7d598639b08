"""An article: one text, and everything found in it as offsets into that text.

``read_article`` is a pipeline of small stages, each a function of the text
and the stages before it: paragraphs -> tokens -> sentences -> organisations
-> people -> quotes.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .errors import ArticleError
from .organisations import Organisation, find_organisations
from .people import Person, find_people
from .quotes import Quote, find_quotes
from .sentences import split_paragraphs, split_sentences
from .tokens import Token, capitalized_indices, tokenize_capitalized

__all__ = ["Article", "Paragraph", "Sentence", "read_article"]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A non-empty line; paragraph 0 is the headline."""

    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    """A read article. Every span is ``(start, end)`` into :attr:`text`."""

    text: str
    source: str
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]
    organisations: tuple[Organisation, ...]
    people: tuple[Person, ...]
    quotes: tuple[Quote, ...]
    tokens: tuple[tuple[Token, ...], ...] = field(repr=False, compare=False)
    # Start offsets, for finding a paragraph or sentence by bisection.
    paragraph_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    sentence_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    # For each paragraph, the indices of its tokens that start with a capital
    # (geo.tokens.capitalized_indices), found while tokenizing: the stages that
    # read names start from them. Set by read_article only (not an argument),
    # so an Article made otherwise, or by dataclasses.replace, never carries
    # another text's; read them through capitalized().
    capitals: tuple[tuple[int, ...], ...] = field(default=(), init=False, repr=False, compare=False)

    def capitalized(self, paragraph: int) -> tuple[int, ...]:
        """Indices of a paragraph's tokens that start with a capital."""
        if len(self.capitals) == len(self.tokens):
            return self.capitals[paragraph]
        return capitalized_indices(self.tokens[paragraph])  # not made by read_article

    @property
    def headline(self) -> str:
        return self.span(self.paragraphs[0].start, self.paragraphs[0].end) if self.paragraphs else ""

    def span(self, start: int, end: int) -> str:
        return self.text[start:end]

    def quote_text(self, quote: Quote) -> str:
        """The quoted words; the parts of a split quote joined by an ellipsis."""
        return " \u2026 ".join(self.text[a:b] for a, b in quote.parts)

    def paragraph_of(self, offset: int) -> int:
        """Index of the paragraph holding ``offset`` (the nearest before it)."""
        return max(0, bisect.bisect_right(self.paragraph_starts, offset) - 1)

    def sentence_of(self, offset: int) -> Sentence:
        return self.sentences[max(0, bisect.bisect_right(self.sentence_starts, offset) - 1)]

    def quote_of(self, offset: int) -> Quote | None:
        """The quote whose words hold ``offset``, if any."""
        return next((q for q in self.quotes if any(a <= offset < b for a, b in q.parts)), None)

    def quotes_at(self, offsets) -> tuple[Quote, ...]:
        """The quotes holding any of these offsets, each once, in text order."""
        found = {self.quote_of(offset) for offset in offsets} - {None}
        return tuple(sorted(found, key=lambda q: q.start))

    def person_at(self, offset: int) -> Person | None:
        """The person named (with title) at ``offset``, if any."""
        for person in self.people:
            if any(a <= offset < b for a, b in person.mentions + person.titled):
                return person
        return None

    def organisation_at(self, offset: int) -> Organisation | None:
        for organisation in self.organisations:
            if organisation.start <= offset < organisation.end:
                return organisation
        return None

    @property
    def speakers(self) -> tuple[str, ...]:
        """Everyone quoted, in order of first quote."""
        return tuple(dict.fromkeys(q.speaker for q in self.quotes if q.speaker))


def read_article(text: str, source: str = "") -> Article:
    """Read a plain-text article.

    >>> a = read_article("Rain in Quito\\n\\n“It is wet,” said Ana Ruiz.")
    >>> a.headline, len(a.paragraphs), a.quotes[0].speaker
    ('Rain in Quito', 2, 'Ana Ruiz')
    >>> read_article("  \\n")
    Traceback (most recent call last):
    ...
    geo.errors.ArticleError: the article is empty
    """
    if not isinstance(text, str):
        raise ArticleError(f"an article is text, not {type(text).__name__}")
    paragraph_spans = split_paragraphs(text)
    if not paragraph_spans:
        raise ArticleError("the article is empty")
    paragraphs = tuple(Paragraph(i, a, b) for i, (a, b) in enumerate(paragraph_spans))
    tokenized = [tokenize_capitalized(text, p.start, p.end) for p in paragraphs]
    tokens = tuple(paragraph_tokens for paragraph_tokens, _ in tokenized)
    capitals = tuple(paragraph_capitals for _, paragraph_capitals in tokenized)
    sentence_spans = tuple(split_sentences(text, p.start, p.end, t) for p, t in zip(paragraphs, tokens))
    sentences = tuple(Sentence(p.index, a, b) for p, spans in zip(paragraphs, sentence_spans) for a, b in spans)
    organisations = tuple(o for t, c in zip(tokens, capitals) for o in find_organisations(text, t, c))
    people = find_people(text, tokens, capitals)
    quotes = find_quotes(text, paragraph_spans, tokens, sentence_spans, people)
    article = Article(
        text=text,
        source=source,
        paragraphs=paragraphs,
        sentences=sentences,
        organisations=organisations,
        people=people,
        quotes=quotes,
        tokens=tokens,
        paragraph_starts=tuple(p.start for p in paragraphs),
        sentence_starts=tuple(s.start for s in sentences),
    )
    object.__setattr__(article, "capitals", capitals)  # found while tokenizing (see the field)
    return article
