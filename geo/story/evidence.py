"""Evidence: the sentence a finding rests on, and who said it."""

from __future__ import annotations

from dataclasses import dataclass

from ..article import Article

__all__ = ["Evidence", "evidence_at"]


@dataclass(frozen=True, slots=True, order=True)
class Evidence:
    """A sentence ``[start, end)`` of paragraph ``paragraph``; ``speaker`` is
    the quoted person when the finding sits in a quote, ``""`` for narration."""

    paragraph: int
    start: int
    end: int
    speaker: str = ""

    def text(self, article: Article) -> str:
        return article.text[self.start : self.end]


def evidence_at(article: Article, offset: int) -> Evidence:
    """The evidence for something found at ``offset``: its sentence and speaker."""
    sentence = article.sentence_of(offset)
    quote = article.quote_of(offset)
    return Evidence(sentence.paragraph, sentence.start, sentence.end, quote.speaker if quote else "")
