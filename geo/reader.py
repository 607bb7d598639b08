"""Turning a file or upload into article text, refusing what is not one.

Everything here fails with :class:`~geo.errors.ArticleError` and a one-line
message a person can act on; nothing is silently dropped or mangled.
"""

from __future__ import annotations

import codecs
import os
import re
from html.parser import HTMLParser
from pathlib import Path

from .article import Article, read_article
from .errors import ArticleError

__all__ = ["DEFAULT_MAX_BYTES", "decode_text", "html_to_text", "load_article", "article_from_bytes"]

# News articles run to tens of kilobytes; two megabytes is a book. Beyond it a
# file is almost surely not one article, and the caller can raise the limit.
DEFAULT_MAX_BYTES = 2_000_000

_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f]")


def decode_text(data: bytes, *, name: str = "input", max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode article bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    >>> decode_text("Bogotá".encode("utf-8")), decode_text("Bogotá".encode("latin-1"))
    ('Bogotá', 'Bogotá')
    >>> decode_text(b"")
    Traceback (most recent call last):
    ...
    geo.errors.ArticleError: input is empty
    """
    if len(data) > max_bytes:
        raise ArticleError(
            f"{name} is {len(data) / 1e6:.1f} MB; an article may be at most {max_bytes / 1e6:.1f} MB"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data.decode("utf-16"), name)
    if b"\x00" in data or len(_CONTROL.findall(data[:4096])) > 8:
        raise ArticleError(f"{name} looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Not UTF-8: the usual other encoding of news text is Windows-1252
        # (a superset of Latin-1 for printable characters).
        text = data.decode("cp1252", errors="replace")
    return _checked(text, name)


def _checked(text: str, name: str) -> str:
    if not text.strip():
        raise ArticleError(f"{name} is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _TextExtractor(HTMLParser):
    _BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 li br tr blockquote article section header title figcaption".split())
    _SKIPPED = frozenset("script style noscript template svg head".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in self._SKIPPED:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in self._SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self._title.append(data)
        elif not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The readable text of an HTML page, one block a line; scripts dropped.

    >>> html_to_text("<h1>Title</h1><script>x()</script><p>One &amp; <b>two</b></p>")
    'Title\\nOne & two'
    >>> html_to_text("")
    ''
    """
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    body = "\n".join(line for line in lines if line)
    title = " ".join("".join(parser._title).split())
    if title and not body.startswith(title):
        body = f"{title}\n{body}" if body else title
    return body


def article_from_bytes(
    data: bytes, *, name: str = "input", max_bytes: int = DEFAULT_MAX_BYTES
) -> Article:
    """Read an uploaded article; ``.html``/``.htm`` names are reduced to their text."""
    text = decode_text(data, name=name, max_bytes=max_bytes)
    if name.lower().endswith((".html", ".htm")) or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        text = html_to_text(text)
        if not text.strip():
            raise ArticleError(f"{name} holds no readable text")
    return read_article(text, source=name)


def load_article(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Read an article file.

    >>> load_article("/nonexistent/article.txt")
    Traceback (most recent call last):
    ...
    geo.errors.ArticleError: /nonexistent/article.txt: no such file
    """
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > max_bytes:
            raise ArticleError(f"{file} is {size / 1e6:.1f} MB; an article may be at most {max_bytes / 1e6:.1f} MB")
        data = file.read_bytes()
    except FileNotFoundError as err:
        raise ArticleError(f"{file}: no such file") from err
    except IsADirectoryError as err:
        raise ArticleError(f"{file} is a directory, not an article") from err
    except OSError as err:
        raise ArticleError(f"{file}: cannot read ({err.strerror or err})") from err
    return article_from_bytes(data, name=str(file), max_bytes=max_bytes)
