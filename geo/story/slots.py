"""Sentences with their places replaced by numbered slots.

The story rules are regular expressions over sentences in which every place
mention reads ``⟨n⟩``: "out of ⟨0⟩ and into ⟨1⟩". The slot numbers index the
sentence's place ids, and every template position maps back to an offset of
the article, so a match can be pointed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..article import Article, Sentence
from ..places import Place

__all__ = ["SLOT", "SlottedSentence", "reference_spans", "slot_ids", "slot_sentences"]

SLOT = r"\u27e8(\d+)\u27e9"
_SLOT = re.compile(SLOT)
_TWO_COUNTRIES = re.compile(r"\b(?:the|both) two countries\b|\bboth countries\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SlottedSentence:
    sentence: Sentence
    text: str  # the sentence with ⟨n⟩ for each place
    places: tuple[str, ...]  # place id of slot n
    origins: tuple[int, ...]  # article offset of each template character (and one past the end)

    def offset(self, position: int) -> int:
        return self.origins[min(position, len(self.origins) - 1)]


def slot_ids(match_text: str, sentence: SlottedSentence) -> list[str]:
    """Place ids of the slots inside a piece of template text, in order."""
    return [sentence.places[int(n)] for n in _SLOT.findall(match_text)]


def _main_countries(places: tuple[Place, ...]) -> tuple[Place, Place] | None:
    """The article's two most-mentioned countries, if two clearly lead."""
    countries = sorted((p for p in places if p.kind == "country"), key=lambda p: (-len(p.mentions), p.id))
    if len(countries) < 2:
        return None
    if len(countries) > 2 and len(countries[2].mentions) * 2 > len(countries[1].mentions):
        return None
    return countries[0], countries[1]


def slot_sentences(article: Article, places: tuple[Place, ...]) -> tuple[SlottedSentence, ...]:
    """Every sentence of the article, templated with its places' slots.

    "The two countries" reads as the two countries the article is most about.
    """
    at: dict[int, tuple[int, str]] = {}
    for place in places:
        for mention in place.mentions:
            at[mention.start] = (mention.end, place.id)
    pair = _main_countries(places)
    sentences = []
    for sentence in article.sentences:
        template: list[str] = []
        origins: list[int] = []
        ids: list[str] = []
        position = sentence.start
        text = article.text
        references = {m.start(): m.end() for m in _TWO_COUNTRIES.finditer(text, sentence.start, sentence.end)} if pair else {}
        while position < sentence.end:
            if position in at and at[position][0] <= sentence.end:
                end, place_id = at[position]
                piece = f"\u27e8{len(ids)}\u27e9"
                ids.append(place_id)
            elif position in references:
                end = references[position]
                piece = f"\u27e8{len(ids)}\u27e9 and \u27e8{len(ids) + 1}\u27e9"
                ids.extend(p.id for p in pair)
            else:
                template.append(text[position])
                origins.append(position)
                position += 1
                continue
            template.append(piece)
            origins.extend([position] * len(piece))
            position = end
        origins.append(sentence.end)
        sentences.append(SlottedSentence(sentence, "".join(template), tuple(ids), tuple(origins)))
    return tuple(sentences)


def reference_spans(article: Article, places: tuple[Place, ...]) -> dict[str, list[tuple[int, int]]]:
    """Where "the two countries" refers to each of the article's two main countries."""
    pair = _main_countries(places)
    if not pair:
        return {}
    spans = [m.span() for m in _TWO_COUNTRIES.finditer(article.text)]
    return {place.id: spans for place in pair} if spans else {}

