"""Place mentions: the stretches of text that name a place.

A mention is found where a run of capitalised words (joined by "of", "de",
"and" ..., or by a comma as in "Valencia, Spain") holds a name the gazetteer
knows, longest name first; where a demonym stands for its country
("Peruvian imports"); and where a possessive names a place ("Peru’s").
It is not a mention where the words name a person ("President Gabriel Boric",
"Boric") or sit inside an organisation's name ("College of Europe",
"Africa Center for Strategic Studies"), or where a lone capitalised word is
a common word the gazetteer happens to hold ("Tuesday", "Yes").
"""

from __future__ import annotations

from dataclasses import dataclass

from .article import Article
from .lexicon import lexicon
from .names import name_key
from .people import strip_possessive
from .tokens import Token, is_capitalized

__all__ = ["Mention", "find_mentions", "candidate_names"]

_JOINERS = frozenset({"of", "de", "del", "da", "do", "dos", "das", "la", "las", "los", "el", "and", "the", "upon", "on", "sur", "y", "al", "-"})
_DEFAULT_MAX_WORDS = 6


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named at ``[start, end)`` of the article.

    ``key`` is the gazetteer key of the name; for a demonym it is the
    demonym's key and ``demonym`` is true. ``reference`` marks words that
    refer to the place without naming it ("the two countries").
    """

    start: int
    end: int
    text: str
    key: str
    paragraph: int
    demonym: bool = False
    reference: bool = False


def _blocked(article: Article) -> list[tuple[int, int]]:
    """Spans no place may be read in: people (with titles) and organisations."""
    spans = [span for person in article.people for span in person.mentions + person.titled]
    spans += [(o.start, o.end) for o in article.organisations]
    return spans


def _runs(tokens: tuple[Token, ...], blocked) -> list[tuple[int, int]]:
    """Index ranges of capitalised words a place name may span."""
    def free(token: Token) -> bool:
        return token.is_word and is_capitalized(token.text) and not any(a <= token.start < b for a, b in blocked)

    runs = []
    index = 0
    while index < len(tokens):
        if not free(tokens[index]):
            index += 1
            continue
        end = index + 1
        while end < len(tokens):
            token = tokens[end]
            if free(token):
                end += 1
            elif (token.text in _JOINERS or token.text == ",") and end + 1 < len(tokens) and free(tokens[end + 1]):
                end += 1
            else:
                break
        runs.append((index, end))
        index = end
    return runs


def _phrases(text: str, tokens: tuple[Token, ...], first: int, end: int, max_words: int):
    """Every sub-phrase of a run that starts and ends on a capitalised word."""
    for i in range(first, end):
        if not is_capitalized(tokens[i].text):
            continue
        for j in range(min(end, i + max_words + 2), i, -1):
            last = tokens[j - 1]
            if not is_capitalized(last.text):
                continue
            stop = last.start + len(strip_possessive(last.text)) if j - 1 >= i else last.end
            yield i, j, text[tokens[i].start : stop]


def candidate_names(article: Article, max_words: int = _DEFAULT_MAX_WORDS) -> set[str]:
    """Every phrase worth asking the gazetteer about, for one batched lookup.

    Phrases keep their case: an abbreviation such as "US" names a country only
    when written in capitals.

    >>> from geo.article import read_article
    >>> sorted(candidate_names(read_article("Rain\\nRain fell on Santa Cruz, Bolivia.")))
    ['Bolivia', 'Cruz', 'Cruz, Bolivia', 'Rain', 'Santa', 'Santa Cruz', 'Santa Cruz, Bolivia']
    """
    blocked = _blocked(article)
    phrases = set()
    for tokens in article.tokens:
        for first, end in _runs(tokens, blocked):
            for _, _, phrase in _phrases(article.text, tokens, first, end, max_words):
                phrases.add(phrase)
    return {phrase for phrase in phrases if name_key(phrase)}


def find_mentions(article: Article, known, demonym, max_words: int = _DEFAULT_MAX_WORDS) -> tuple[Mention, ...]:
    """Place mentions of an article.

    ``known(key)`` tells whether a name key names a place; ``demonym(word)``
    whether a word is a demonym. The longest known phrase wins, leftmost first.
    """
    words = lexicon()
    blocked = _blocked(article)
    acronyms = {o.acronym for o in article.organisations if o.acronym}
    lowercase_words = {t.text for tokens in article.tokens for t in tokens if t.is_word and t.text.islower()}
    mentions: list[Mention] = []
    for paragraph, tokens in enumerate(article.tokens):
        taken: set[int] = set()
        for first, end in _runs(tokens, blocked):
            for i, j, phrase in sorted(
                _phrases(article.text, tokens, first, end, max_words), key=lambda p: (p[0], -(p[1] - p[0]))
            ):
                if taken.intersection(range(i, j)):
                    continue
                key = name_key(phrase)
                if not known(key) or not _plausible(tokens, i, j, phrase, words, acronyms, lowercase_words):
                    continue
                start = tokens[i].start
                mentions.append(Mention(start, start + len(phrase), phrase, key, paragraph))
                taken.update(range(i, j))
        for index, token in enumerate(tokens):
            if index in taken or not token.is_word or not is_capitalized(token.text):
                continue
            if any(a <= token.start < b for a, b in blocked):
                continue
            bare = strip_possessive(token.text)
            if demonym(bare):
                mentions.append(Mention(token.start, token.start + len(bare), bare, name_key(bare), paragraph, demonym=True))
    mentions.sort(key=lambda m: m.start)
    return tuple(mentions)


def _plausible(tokens, i: int, j: int, phrase: str, words, acronyms, lowercase_words) -> bool:
    """Reject a lone word that is a common word, an acronym or a stray capital."""
    if j - i > 1:
        return True
    word = strip_possessive(tokens[i].text)
    if word in words.not_places or word in acronyms:
        return False
    # An all-capitals word is an abbreviation ("US"), fine; a capitalised word
    # the article also writes in lower case is a common word ("Army" / "army").
    if word.lower() in lowercase_words and not word.isupper():
        return False
    return True
