"""Normalising place names so that text and gazetteer meet on one key.

The gazetteer build and the runtime lookup both call :func:`name_key`; it is
the only definition of what makes two spellings "the same name".
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key", "fold_accents", "spelled_out"]

# Full stops, middle dots and apostrophes vanish from a key.
_DELETED = str.maketrans("", "", ".\u00b7'\u2019\u2018`\u00b4")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_/,;:()\[\]\"\u201c\u201d]+")
# Words of the letters a to z only, one space apart: such a name is its own key, in lower case.
_PLAIN_WORDS = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")


def fold_accents(text: str) -> str:
    """Strip diacritics, keeping the base letters.

    >>> fold_accents("Núñez Bolívar Zürich")
    'Nunez Bolivar Zurich'
    >>> fold_accents("")
    ''
    """
    if text.isascii():  # most names: nothing to fold
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(name: str) -> str:
    """The lookup key of a name: case-, accent- and punctuation-insensitive.

    Full stops vanish (``B.C.`` and ``BC`` agree), apostrophes vanish
    (``Côte d'Ivoire`` and ``Cote dIvoire`` agree), hyphens and commas become
    spaces.

    >>> name_key("Fort St. John, B.C.")
    'fort st john bc'
    >>> name_key("  São-Paulo ")
    'sao paulo'
    >>> name_key("Côte d’Ivoire") == name_key("Cote d'Ivoire")
    True
    >>> name_key("")
    ''
    """
    if name.isalpha() and name.isascii():  # most words of an article: nothing but letters
        return name.casefold()
    if _PLAIN_WORDS.fullmatch(name):  # most phrases of capitalised words: nothing to fold, delete or separate anew
        return name.casefold()
    folded = fold_accents(name).casefold().translate(_DELETED)
    return _SEPARATORS.sub(" ", folded).strip()


# Short forms of words that begin place names, as towns write them either way.
_SHORT_FORMS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def spelled_out(key: str) -> str:
    """A name key with its short name words spelled out, so that a town's own
    name and a text's short form of it compare equal.

    >>> spelled_out("st petersburg") == spelled_out("saint petersburg")
    True
    >>> spelled_out("mt st helens"), spelled_out("")
    ('mount saint helens', '')
    """
    if _SHORT_FORMS.keys().isdisjoint(key.split()):  # most keys: asked for every reading, so asked in C
        return key
    return " ".join(_SHORT_FORMS.get(word, word) for word in key.split())
