"""Article text as HTML with spans of it marked, so a reader sees what was found where.

:func:`highlight_html` is generic: any text, any spans (they may overlap or
nest), each span a CSS class and a hover title. :func:`article_html` uses it
for a story: place mentions and quotes, paragraph by paragraph.

Every piece of text and every title goes through :func:`geo.escape.html_text`;
class names are ours and checked. The result is a fragment with its own
``<style>``, for any page (Streamlit's ``st.html``, a report, a notebook).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..escape import html_text
from ..story import Story

__all__ = ["Span", "highlight_html", "story_spans", "article_html", "ARTICLE_CSS"]

_CLASS = re.compile(r"[a-z][a-z0-9-]*\Z")


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start:end`` of a text, marked with a CSS class and a hover title."""

    start: int
    end: int
    kind: str  # a CSS class name: lower-case letters, digits and hyphens
    title: str = ""  # untrusted text is fine: it is escaped


def _checked_class(kind: str) -> str:
    if not _CLASS.match(kind):
        raise ValueError(f"a span's kind is a CSS class name (a-z, 0-9, -), not {kind!r}")
    return kind


def highlight_html(text: str, spans: Iterable[Span], start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` as escaped HTML, each span wrapped in ``<span class=...>``.

    Overlapping spans cut the text into pieces; a piece inside several spans
    gets all their classes, and their titles joined with `` · ``. Spans are
    clipped to ``start:end``.

    >>> highlight_html("Rain in Quito", [Span(8, 13, "place", "a capital city")])
    'Rain in <span class="place" title="a capital city">Quito</span>'
    >>> highlight_html("a <b> c", [Span(0, 7, "quote"), Span(2, 5, "place", "<b>")])
    '<span class="quote">a </span><span class="place quote" title="&lt;b&gt;">&lt;b&gt;</span><span class="quote"> c</span>'
    """
    end = len(text) if end is None else end
    marked = [s for s in spans if s.start < end and s.end > start and s.start < s.end]
    for span in marked:
        _checked_class(span.kind)
    cuts = sorted({start, end, *(max(start, s.start) for s in marked), *(min(end, s.end) for s in marked)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = html_text(text[a:b])
        active = [s for s in marked if s.start <= a and b <= s.end]
        if not active:
            out.append(piece)
            continue
        classes = " ".join(sorted({s.kind for s in active}))
        titles = " \u00b7 ".join(dict.fromkeys(s.title for s in active if s.title))
        title = f' title="{html_text(titles)}"' if titles else ""
        out.append(f'<span class="{classes}"{title}>{piece}</span>')
    return "".join(out)


def story_spans(story: Story) -> tuple[Span, ...]:
    """The spans worth marking in a story's article: every place mention and every quote."""
    spans = []
    for place in story.places:
        where = place.country_name if place.kind != "country" and place.country_name else ""
        label = f"{place.name} ({where})" if where else place.name
        if place.inferred:
            label += ", inferred"
        for mention in place.mentions:
            spans.append(Span(mention.start, mention.end, "geomap-place-ref" if mention.reference else "geomap-place", label))
    for quote in story.article.quotes:
        for a, b in quote.parts:
            spans.append(Span(a, b, "geomap-quote", f"quote: {quote.speaker or 'unattributed'}"))
    return tuple(spans)


ARTICLE_CSS = """<style>
.geomap-article { font: 15px/1.6 Georgia, "Times New Roman", serif; color: #222; max-width: 52em; }
.geomap-article p { margin: 0 0 0.8em 0; }
.geomap-article p.headline { font: bold 18px/1.3 "Helvetica Neue", Arial, sans-serif; }
.geomap-article .pn { display: inline-block; min-width: 2.2em; color: #999; font: 11px Arial, sans-serif; }
.geomap-article .geomap-quote { background: #e8f1f8; border-bottom: 1px solid #56B4E9; }
.geomap-article .geomap-place { background: #fbe3c4; border-bottom: 2px solid #E69F00; font-weight: 600; }
.geomap-article .geomap-place-ref { border-bottom: 2px dotted #E69F00; }
.geomap-article .legend { font: 12px Arial, sans-serif; color: #555; margin-bottom: 0.8em; }
</style>"""


def article_html(story: Story, spans: Sequence[Span] | None = None) -> str:
    """The story's article as HTML, paragraph by paragraph, with ``spans`` marked.

    By default the spans are :func:`story_spans`: place mentions and quotes.
    Each paragraph starts with its number, as popups and tables cite them.
    """
    article = story.article
    marked = story_spans(story) if spans is None else tuple(spans)
    legend = (
        '<div class="legend"><span class="geomap-place">place</span> '
        '<span class="geomap-place-ref">a place named indirectly</span> '
        '<span class="geomap-quote">quote</span> (hover for details)</div>'
    )
    paragraphs = []
    for paragraph in article.paragraphs:
        inner = [s for s in marked if s.start < paragraph.end and s.end > paragraph.start]
        css = ' class="headline"' if paragraph.index == 0 else ""
        body = highlight_html(article.text, inner, paragraph.start, paragraph.end)
        paragraphs.append(f'<p{css}><span class="pn">{paragraph.index}</span>{body}</p>')
    return f'{ARTICLE_CSS}<div class="geomap-article">{legend}{"".join(paragraphs)}</div>'
