"""Place mentions: the stretches of text that name a place.

A mention is found where a run of capitalised words (joined by "of", "de",
"and" ..., or by a comma as in "Valencia, Spain") holds a name the gazetteer
knows, longest name first; where a demonym stands for its country
("Peruvian imports"); and where a possessive names a place ("Peru’s").
It is not a mention where the words name a person ("President Gabriel Boric",
"Boric") or sit inside an organisation's name ("College of Europe",
"Africa Center for Strategic Studies"), or where a lone capitalised word is
a common word the gazetteer happens to hold ("Tuesday", "Yes").

A name found without a title ("Tamil Nadu said") is a person only while the
gazetteer does not know it as a place; a name inside an organisation's name
is kept as an ``embedded`` mention, a toponym that is not a place of the
story. "London-based" names London.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

from .article import Article
from .gazetteer import PROMINENT_TOWN, Entry
from .lexicon import lexicon
from .names import name_key
from .people import strip_possessive
from .spans import Spans
from .tokens import Token, capitalized_indices, offsets_of, runs

__all__ = ["Mention", "find_mentions", "candidate_names"]

_JOINERS = frozenset({"of", "de", "del", "da", "do", "dos", "das", "la", "las", "los", "el", "and", "the", "upon", "on", "sur", "y", "al", "-"})
_DEFAULT_MAX_WORDS = 6


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named at ``[start, end)`` of the article.

    ``key`` is the gazetteer key of the name; for a demonym it is the
    demonym's key and ``demonym`` is true. ``reference`` marks words that
    refer to the place without naming it ("the two countries"); ``embedded``
    a name inside an organisation's name; ``qualifier`` a division written
    after a town to say where the town is ("Bend, Ore."). Embedded names
    and qualifiers are toponyms but not places of the story.
    """

    start: int
    end: int
    text: str
    key: str
    paragraph: int
    demonym: bool = False
    reference: bool = False
    embedded: bool = False  # inside an organisation's name: a toponym, not a place of the story
    qualifier: bool = False  # "Ore." in "Bend, Ore.": a toponym, not a place of the story

    @property
    def in_story(self) -> bool:
        return not (self.embedded or self.qualifier)


_MAJOR_KINDS = frozenset({"country", "admin1", "continent", "region", "ocean", "sea"})
_COMPOUND = re.compile(r"^([^\W\d_][\w\u2019']*?)-(?=[a-z])")
_BROAD_KINDS = frozenset({"country", "admin1", "continent", "region"})
_DATELINE_MARKS = frozenset({",", "\u2014", "\u2013", "-", "("})
_CONTRACTION = re.compile(r"[\'\u2019](?:re|ll|ve|d|m|t)$")  # "We're", "I'll": no town, whatever the key says
# Prepositions that put a name somewhere even when a person could bear it
# ("in Barry"); "of", "at" and "from" go as readily with people.
_PLACING_PREPOSITIONS = frozenset({"in", "near", "around", "outside", "inside", "across", "throughout"})


def _compound_place(word: str) -> str:
    """The capitalised head of "London-based", "Kyiv-backed"; "" otherwise."""
    match = _COMPOUND.match(word)
    return match.group(1) if match and match.group(1)[0].isupper() else ""


def _hyphen_parts(word: str) -> list[tuple[int, str]]:
    """The capitalised parts of a hyphenated word with their offsets:
    "Peruvian-Bolivian", "Lima-Quito", "anti-Ukrainian"; none in a plain word.

    >>> _hyphen_parts("anti-Ukrainian"), _hyphen_parts("Lima")
    ([(5, 'Ukrainian')], [])
    """
    if "-" not in word:
        return []
    parts, offset = [], 0
    for piece in word.split("-"):
        if piece[:1].isupper():
            parts.append((offset, strip_possessive(piece)))
        offset += len(piece) + 1
    return parts


def abbreviation_key(form: str) -> str:
    """The key of a written abbreviation ("Ore." -> "ore."), apart from
    the name keys, which drop full stops: "Ore." is Oregon, "Ore" is not.

    >>> abbreviation_key("N.J.")
    'n.j.'
    """
    return form.lower()


def _abbreviations(tokens: tuple[Token, ...], words) -> Iterator[tuple[int, str, int]]:
    """(first token, written form, end token) of each listed abbreviation
    written after a comma or an opening bracket: "Bend, Ore.", "(Ala.)"."""
    # Only a token after a comma or a bracket can be one: those few are found first.
    for index in [i for i, token in enumerate(tokens[:-1], 1) if token.text in (",", "(")]:
        token = tokens[index]
        if token.text in words.abbreviations:
            yield index, token.text, index + 1
        elif index + 1 < len(tokens) and tokens[index + 1].text == "." and tokens[index + 1].start == token.end:
            form = token.text + "."
            if form in words.abbreviations:
                yield index, form, index + 2


def _is_major(entries: tuple[Entry, ...]) -> bool:
    return any(e.kind in _MAJOR_KINDS or e.population >= PROMINENT_TOWN for e in entries)


def _people_spans(article: Article, known: Mapping[str, tuple[Entry, ...]] | None) -> list[tuple[int, int]]:
    """Spans that name people. Without gazetteer knowledge, only titled people count.

    A name found without a title that the gazetteer knows as a place is the
    place ("Tamil Nadu said"); such a person's bare surname is not blocked
    where it names a major place ("Iran" after "Trend Iran"). A "name" whose
    last word is a major place and whose first is no known given name is a
    capitalised word before the place ("Considering Peru’s offer"), not a
    person at all.
    """
    spans: list[tuple[int, int]] = []
    for person in article.people:
        if person.titled_evidence:
            spans.extend(person.mentions + person.titled)
            continue
        if known is None or name_key(person.name) in known:
            continue
        readings = known.get(name_key(person.surname), ())
        surname_is_place = _is_major(readings)
        if surname_is_place and "given" not in person.evidence:
            continue
        # Here the person has a known given name: after "Sarah Sheffield" a
        # bare "Sheffield" is her, not the city; a country or a state keeps
        # its own name ("Chad" after "Mark Chad").
        surname_is_place = surname_is_place and any(e.kind == "country" or e.feature_code == "ADM1" for e in readings)
        for start, end in person.mentions:
            if end - start > len(person.surname) or not surname_is_place:
                spans.append((start, end))
    return spans


def _name_like(word: str) -> bool:
    """A word that can be part of a name: capitalised, or elided before a capital ("d’Ivoire").

    >>> _name_like("Ivoire"), _name_like("d’Ivoire"), _name_like("l'Est"), _name_like("d’accord")
    (True, True, True, False)
    """
    return word[0].isupper() or (len(word) > 2 and word[0] in "dlDL" and word[1] in "'\u2019" and word[2].isupper())


def _runs(tokens: tuple[Token, ...], blocked: Spans, name_words: list[bool], inside: set[int] | None = None) -> list[tuple[int, int]]:
    """Index ranges of capitalised words a place name may span, outside the
    ``blocked`` spans; ``name_words`` is :func:`_name_words` of the tokens,
    ``inside`` :func:`_inside` of the tokens and spans, if known."""
    if not blocked:  # no one named: nothing to take out
        return runs(tokens, name_words, _joins)
    free = name_words.copy()
    for index in _inside(tokens, blocked) if inside is None else inside:
        free[index] = False
    return runs(tokens, free, _joins)


_START = attrgetter("start")


def _inside(tokens: tuple[Token, ...], spans: Spans) -> set[int]:
    """Indices of the tokens that start in the spans: the tokens of each span
    are found by bisection, not by asking the spans about every token.

    >>> from geo.tokens import tokenize
    >>> text = "Ann Lee met Bo in Oslo"
    >>> sorted(_inside(tokenize(text), Spans([(0, 7), (12, 14)])))
    [0, 1, 3]
    """
    found: set[int] = set()
    if tokens and spans:
        for start, end in spans.overlapping(tokens[0].start, tokens[-1].start + 1):
            found.update(range(bisect.bisect_left(tokens, start, key=_START), bisect.bisect_left(tokens, end, key=_START)))
    return found


def _name_words(text: str, tokens: tuple[Token, ...], capitals: Sequence[int] | None = None) -> list[bool]:
    """Whether each token of ``text`` is a word that may be part of a place
    name; ``capitals`` are :func:`~geo.tokens.capitalized_indices` of the
    tokens, if known.

    >>> from geo.tokens import tokenize
    >>> text = "Côte d’Ivoire and the world’s Oslo, l'Est"
    >>> _name_words(text, tokenize(text))
    [True, True, False, False, False, True, False, True]
    """
    if capitals is None:
        capitals = capitalized_indices(tokens)
    flags = [False] * len(tokens)
    for index in capitals:  # most tokens are not capitalised: only these are visited
        if tokens[index].is_word:
            flags[index] = True
    if tokens:
        # The other name words start with a lower-case "d’" or "l'" ("d’Ivoire"): found
        # from the apostrophes of the text, each "d" or "l" before one matched to its token.
        for at in offsets_of(text, "'\u2019", tokens[0].start + 1, tokens[-1].end):
            if text[at - 1] in "dl":
                index = bisect.bisect_left(tokens, at - 1, key=_START)
                if index < len(tokens) and tokens[index].start == at - 1:
                    token = tokens[index]
                    if token.is_word and _name_like(token.text):
                        flags[index] = True
    return flags


def _joins(text: str) -> bool:
    return text in _JOINERS or text == ","


def _phrases(text: str, tokens: tuple[Token, ...], first: int, end: int, max_words: int):
    """Every sub-phrase of a run that starts and ends on a capitalised word,
    leftmost first and, at each start, longest first."""
    capital = [tokens[k].text[0].isupper() for k in range(first, end)]
    # Where a phrase ending on each token stops (None: no name ends there), worked out once per token.
    stops = [
        tokens[k].start + len(strip_possessive(tokens[k].text)) if _name_like(tokens[k].text) else None for k in range(first, end)
    ]
    for i in range(first, end):
        if not capital[i - first]:
            continue
        start = tokens[i].start
        for j in range(min(end, i + max_words + 2), i, -1):
            stop = stops[j - 1 - first]
            if stop is not None:
                yield i, j, text[start:stop]


class PhraseMemo:
    """What :func:`candidate_names` and :func:`find_mentions` both work out
    from one article's tokens, worked out once: the runs they read are mostly
    the same. Give each article a new one."""

    __slots__ = ("name_words", "phrases")

    def __init__(self) -> None:
        self.name_words: dict[int, list[bool]] = {}  # paragraph -> _name_words of its tokens
        self.phrases: dict[tuple[int, int, int, int], list[tuple[int, int, str]]] = {}  # (paragraph, run, max_words) -> _phrases

    def runs(self, article: Article, paragraph: int, blocked: Spans, inside: set[int] | None = None) -> list[tuple[int, int]]:
        """:func:`_runs` of a paragraph; ``inside`` is :func:`_inside` of its tokens and ``blocked``, if known."""
        tokens = article.tokens[paragraph]
        name_words = self.name_words.get(paragraph)
        if name_words is None:
            name_words = self.name_words[paragraph] = _name_words(article.text, tokens, article.capitalized(paragraph))
        return _runs(tokens, blocked, name_words, inside)

    def run_phrases(self, text: str, tokens: tuple[Token, ...], paragraph: int, first: int, end: int, max_words: int):
        found = self.phrases.get((paragraph, first, end, max_words))
        if found is None:
            # Most runs are one word, a name if capitalised: what _phrases yields for
            # it, found at once (a max_words below -1 leaves _phrases nothing to yield).
            if end - first == 1 and max_words >= -1:
                word = tokens[first].text
                found = [(first, end, strip_possessive(word))] if word[0].isupper() else []
            else:
                found = list(_phrases(text, tokens, first, end, max_words))
            self.phrases[paragraph, first, end, max_words] = found
        return found


def candidate_names(
    article: Article, max_words: int = _DEFAULT_MAX_WORDS, keys: dict[str, str] | None = None, memo: PhraseMemo | None = None
) -> set[str]:
    """Every phrase worth asking the gazetteer about, for one batched lookup.

    Phrases keep their case: an abbreviation such as "US" names a country only
    when written in capitals. ``keys`` and ``memo``, if given, are filled
    with each phrase's name key and the article's runs and phrases for
    :func:`find_mentions` to reuse (pass the same to both, for one article).

    >>> from geo.article import read_article
    >>> sorted(candidate_names(read_article("Rain\\nRain fell on Santa Cruz, Bolivia.")))
    ['Bolivia', 'Cruz', 'Cruz, Bolivia', 'Rain', 'Santa', 'Santa Cruz', 'Santa Cruz, Bolivia']
    """
    memo = PhraseMemo() if memo is None else memo
    blocked = Spans(_people_spans(article, None))
    phrases: set[str] = set()
    for paragraph, tokens in enumerate(article.tokens):
        for first, end in memo.runs(article, paragraph, blocked):
            for _, _, phrase in memo.run_phrases(article.text, tokens, paragraph, first, end, max_words):
                phrases.add(phrase)
        if not tokens:
            continue
        # The tokens with a hyphen ("Oslo-based", "Peruvian-Bolivian"), found from the
        # hyphens of the text: most paragraphs have none, the others a few.
        stop = tokens[-1].end
        hyphen = article.text.find("-", tokens[0].start, stop)
        while hyphen >= 0:
            token = tokens[bisect.bisect_right(tokens, hyphen, key=_START) - 1]  # every character but spaces is a token's
            head = _compound_place(token.text)
            if head:
                phrases.add(head)
            phrases.update(part for _, part in _hyphen_parts(token.text))
            hyphen = article.text.find("-", token.end, stop)
    keys = {} if keys is None else keys  # phrase -> name key, filled for find_mentions to reuse
    for phrase in phrases:
        if phrase not in keys:
            keys[phrase] = name_key(phrase)
    return {phrase for phrase in phrases if keys[phrase]}


def find_mentions(
    article: Article,
    known: Mapping[str, tuple[Entry, ...]],
    demonym: Callable[[str], bool],
    max_words: int = _DEFAULT_MAX_WORDS,
    keys: dict[str, str] | None = None,
    memo: PhraseMemo | None = None,
) -> tuple[Mention, ...]:
    """Place mentions of an article, embedded ones included.

    ``known`` maps the name keys the gazetteer holds to their entries (see
    :func:`candidate_names`); ``demonym(word)`` tells whether a word is a
    demonym. The longest known phrase wins, leftmost first.
    """
    words = lexicon()
    people = Spans(_people_spans(article, known))
    organisations = Spans([(o.start, o.end) for o in article.organisations])
    acronyms = {o.acronym for o in article.organisations if o.acronym}
    addresses = _addresses(article.text)
    # Words of web or mail addresses are not the article's prose; most articles have none,
    # so the offset look-up is skipped at once for them.
    has_addresses = bool(addresses)
    lowercase_words = {
        t.text for tokens in article.tokens for t in tokens
        if t.is_word and t.text.islower() and not (has_addresses and t.start in addresses)
    }
    mentions: list[Mention] = []
    local: list[Mention] = []  # small places inside organisations' names, kept if named alone too
    # Most articles write no listed abbreviation (see places._recognise): their paragraphs need not be searched for one.
    abbreviated = any(abbreviation_key(form) in known for form in words.abbreviations)
    keys = {} if keys is None else keys  # phrase -> name key, each phrase keyed once
    memo = PhraseMemo() if memo is None else memo
    for paragraph, tokens in enumerate(article.tokens):
        taken: set[int] = set()
        # "Bend, Ore.": read after the gazetteer's longer names, which may end
        # in an abbreviation, but before the bare word ("Ore").
        abbreviations = (
            {index: (form, end) for index, form, end in _abbreviations(tokens, words) if abbreviation_key(form) in known}
            if abbreviated else {}
        )
        shouting = _Shouting(tokens)
        named = _inside(tokens, people)  # the tokens that start in a person's name
        in_organisation = _inside(tokens, organisations)  # index in it: tokens[index].start in organisations
        for first, end in memo.runs(article, paragraph, people, named):
            # _phrases yields leftmost first, longest first at each start: the order the longest match needs.
            for i, j, phrase in memo.run_phrases(article.text, tokens, paragraph, first, end, max_words):
                if phrase in words.not_place_phrases:  # "La Niña": neither it nor "Niña" is a place
                    if not (taken.intersection(range(i, j)) or (j == i + 1 and i in abbreviations)):
                        taken.update(range(i, j))
                    continue
                key = keys.get(phrase)
                if key is None:
                    key = keys[phrase] = name_key(phrase)
                # Most phrases name nothing the gazetteer knows: that settles them
                # before the overlap test, which builds a range for each.
                if key not in known or taken.intersection(range(i, j)) or (j == i + 1 and i in abbreviations):
                    continue
                if not _plausible(tokens, i, j, phrase, known[key], words, acronyms, lowercase_words, shouting):
                    continue
                if j - i == 1 and not _is_major(known[key]) and demonym(strip_possessive(phrase)):
                    continue  # "Canadian" is a demonym before it is a hamlet in Texas
                start = tokens[i].start
                embedded = i in in_organisation
                # Organisations are named after notable places ("Jamaica Cancer
                # Society"), not after the hamlet a stray word happens to match,
                # unless the article names that place on its own too.
                if embedded and not _is_major(known[key]):
                    local.append(Mention(start, start + len(phrase), phrase, key, paragraph, embedded=True))
                    continue
                first, last = _widened(tokens, i, j, words)
                text = article.text[tokens[first].start : tokens[last - 1].end] if (first, last) != (i, j) else phrase
                mentions.append(Mention(tokens[first].start, tokens[first].start + len(text), text, key, paragraph, embedded=embedded))
                taken.update(range(first, last))
        for index, (form, end) in abbreviations.items():
            if not taken.intersection(range(index, end)):
                start = tokens[index].start
                key = abbreviation_key(form)
                mentions.append(Mention(start, start + len(form), form, key, paragraph, embedded=index in in_organisation, qualifier=True))
                taken.update(range(index, end))
        # Compounds and demonyms both start with a capital ("Oslo-based", "Peruvian").
        for index in article.capitalized(paragraph):
            token = tokens[index]
            if not token.is_word or index in taken or index in named:  # named: token.start in people
                continue
            embedded = index in in_organisation
            part = _compound_place(token.text) if "-" in token.text else ""
            if part and name_key(part) in known:
                mentions.append(Mention(token.start, token.start + len(part), part, name_key(part), paragraph, embedded=embedded))
                continue
            if "-" in token.text and (not any(ch.isdigit() for ch in token.text) or _PLACE_YEAR.fullmatch(token.text)):
                # "Peruvian-Bolivian border", "Lima-Quito road", "Tokyo-2020": each part
                # names a place, but only a major one (a hyphenated surname
                # or brand is made of words that are hamlets somewhere).
                found = len(mentions)
                for offset, piece in _hyphen_parts(token.text):
                    key = name_key(piece)
                    start = token.start + offset
                    if key in known and _is_major(known[key]) and piece not in words.not_places:
                        mentions.append(Mention(start, start + len(piece), piece, key, paragraph, embedded=embedded))
                    elif demonym(piece):
                        mentions.append(Mention(start, start + len(piece), piece, key, paragraph, demonym=True, embedded=embedded))
                if len(mentions) > found:
                    continue
            bare = strip_possessive(token.text)
            if not demonym(bare):
                continue
            previous = tokens[index - 1] if index and index - 1 not in taken else None
            if previous is not None and previous.is_word and previous.text[0].isupper() and previous.start not in people:
                pair = article.text[previous.start : token.start + len(bare)]
                if demonym(pair):  # "Central American", "Latin American"
                    mentions.append(Mention(previous.start, previous.start + len(pair), pair, name_key(pair), paragraph, demonym=True, embedded=previous.start in organisations))
                    continue
            end = token.start + len(bare)
            if bare == token.text and index + 1 < len(tokens) and tokens[index + 1].text in words.landform_words:
                end = tokens[index + 1].end  # "Korean Peninsula": the landform is named by the demonym
            mentions.append(Mention(token.start, end, article.text[token.start : end], name_key(bare), paragraph, demonym=True, embedded=embedded))
    named_alone = {m.key for m in mentions if not m.embedded}
    covered = Spans((m.start, m.end) for m in mentions)
    kept_starts: set[int] = set()
    for mention in local:  # longest first at each start
        if mention.key in named_alone and mention.start not in covered and mention.start not in kept_starts:
            mentions.append(mention)
            kept_starts.add(mention.start)
    mentions.sort(key=lambda m: m.start)
    return tuple(mentions)


def _widened(tokens: tuple[Token, ...], i: int, j: int, words) -> tuple[int, int]:
    """A known name widened by the words that qualify it without moving it:
    "Orange County", "Northern Ontario". The name's key is kept for resolution.
    """
    first, last = i, j
    if last < len(tokens) and tokens[last].text in words.place_suffixes:
        last += 1
    if first > 0 and tokens[first - 1].text in words.place_prefixes:
        first -= 1
    return first, last


# A word with digits is a code or a model ("XY-13", "Falcon-9"), named after
# nothing; only a name and a year ("Tokyo-2020") still names the place.
_PLACE_YEAR = re.compile(r"[^\W\d_][\w'.\u2019]*-(?:1[89]|20)\d\d")

# Web and mail addresses: "https://www.example.gov.ns.ca/maps", "desk@example.org".
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _addresses(text: str) -> Spans:
    """Spans of web and mail addresses, whose words are not the article's prose ("gov.ns.ca").

    >>> text = "Maps: https://example.gov.ns.ca/x, or desk@example.org."
    >>> spans = _addresses(text)
    >>> [offset in spans for offset in (0, text.index("gov"), text.index("desk"), len(text) - 1)]
    [False, True, True, False]
    >>> 0 in _addresses("")
    False
    """
    if "://" not in text and "www." not in text and "@" not in text:  # most articles: none, decided at once
        return Spans(())
    return Spans(match.span() for match in _ADDRESS.finditer(text))


def _shouting(tokens: tuple[Token, ...]) -> bool:
    """Whether a paragraph is written in capitals (a headline in caps), so capitals mean nothing."""
    letters = [t.text for t in tokens if t.is_word and t.text[0].isalpha()]
    return len(letters) >= 3 and sum(w.isupper() for w in letters) * 10 >= len(letters) * 6


class _Shouting:
    """:func:`_shouting` of one paragraph, worked out the first time a word in capitals asks."""

    __slots__ = ("_tokens", "_answer")

    def __init__(self, tokens: tuple[Token, ...]) -> None:
        self._tokens = tokens
        self._answer: bool | None = None

    def __call__(self) -> bool:
        if self._answer is None:
            self._answer = _shouting(self._tokens)
        return self._answer


def _plausible(tokens, i: int, j: int, phrase: str, entries: tuple[Entry, ...], words, acronyms, lowercase_words, shouting: Callable[[], bool]) -> bool:
    """Reject what only looks like a place: common words, acronyms, weather.

    ``shouting()`` says whether the paragraph is written in capitals (see :class:`_Shouting`).
    """
    if phrase in words.not_place_phrases:
        return False
    if j - i > 1:
        return True
    word = strip_possessive(tokens[i].text)
    if word in words.not_places or word in acronyms or _CONTRACTION.search(word):
        return False
    if word.isupper() and len(word) > 1 and "." not in word:
        # A dateline opens a paragraph with the town in capitals, then a
        # comma, a dash or the agency in brackets: "TOWNVILLE, Ore. —".
        dateline = i == 0 and j < len(tokens) and tokens[j].text in _DATELINE_MARKS
        if shouting() or dateline or (len(word) >= 4 and _is_major(entries) and word.title() not in words.not_places):
            # A line written in capitals, or a dateline ("TORONTO —"): the word
            # is a name in capitals, not an acronym ("NATO" names no major place).
            # "IN" in a headline in capitals is no state's code; "HIT" no small
            # town and "RIVERS" no state, unless a dateline names it.
            common = (word.lower() in words.common_words and not _is_major(entries)) or word.lower() in words.descriptive_words
            return len(word) > 2 and word.title() not in words.not_places and word.lower() not in lowercase_words and (dateline or not common)
        # An all-capitals word is an abbreviation: of a country or a state
        # ("US", "UAE", "NSW") it may be, of a town it is not ("NATO", "EU").
        if not any(e.kind in _BROAD_KINDS for e in entries):
            return False
        if word.lower() in lowercase_words and not any(e.kind == "country" for e in entries):
            # "IN", "ME", "OR", words the article also writes in lower case:
            # a state's code only where it qualifies a town ("Kokomo, IN").
            # Not after "in" either: "research in ME", "in OR" (a theatre).
            return i > 0 and tokens[i - 1].text == ","
        return True
    placed = i > 0 and tokens[i - 1].text in _PLACING_PREPOSITIONS
    if (word in words.given_names or word in words.surnames) and not _is_major(entries):
        # Alone, "Barry" or "Johnson" is a person far more often than the
        # small town of that name, unless the text puts it somewhere ("in
        # Barry") or calls it a county ("Johnson County").
        return placed or (j < len(tokens) and tokens[j].text in words.place_suffixes)
    if word.lower() in words.common_words and not _is_major(entries) and not placed:
        # "Economy", "Mission", "Luck": a common English word capitalised at
        # the head of a sentence or a title; a small town of that name is
        # meant only where the text puts it ("in Mission").
        return False
    # A capitalised word the article also writes in lower case is a common
    # word ("Army" / "army").
    return word.lower() not in lowercase_words
