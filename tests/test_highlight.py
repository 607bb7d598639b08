"""Article text as highlighted HTML: every piece escaped, spans marked, paragraphs kept."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from geo.article import read_article
from geo.pipeline import tell_story
from geo.render.highlight import Span, article_html, highlight_html, story_spans

HOSTILE = ["<script>alert(1)</script>", "</script>", "<img src=x onerror=alert(2)>", "${alert(3)}", "C:\\x", "`tick`", '"quoted"']


class _Text(HTMLParser):
    """The text a browser would show, and the tags it would build."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tags, self.titles = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.titles += [value for name, value in attrs if name == "title"]

    def handle_data(self, data):
        self.text.append(data)


def shown(markup: str) -> _Text:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return parser


def test_plain_text_round_trips():
    text = "Rain in Quito & Lima"
    assert highlight_html(text, []) == "Rain in Quito &amp; Lima"
    assert "".join(shown(highlight_html(text, [Span(8, 13, "place")])).text) == text


def test_hostile_text_and_titles_stay_text():
    text = " ".join(HOSTILE)
    markup = highlight_html(text, [Span(0, 10, "quote", title=text), Span(5, len(text), "place", title="<b>x</b>")])
    page = shown(markup)
    assert "".join(page.text) == text  # what a reader sees is exactly the text
    assert set(page.tags) == {"span"}  # and nothing of it became a tag
    assert text in page.titles[0]
    for forbidden in ("<script", "<img", "`", "${", "\\"):
        assert forbidden not in markup


def test_overlapping_spans_cut_the_text_into_pieces():
    markup = highlight_html("abcdef", [Span(0, 4, "quote", "q"), Span(2, 6, "place", "p")])
    assert markup == (
        '<span class="quote" title="q">ab</span>'
        '<span class="place quote" title="q · p">cd</span>'
        '<span class="place" title="p">ef</span>'
    )


def test_spans_are_clipped_to_the_range_and_empty_ones_ignored():
    assert highlight_html("abcdef", [Span(0, 6, "place")], 2, 4) == '<span class="place">cd</span>'
    assert highlight_html("abcdef", [Span(3, 3, "place"), Span(9, 12, "place")]) == "abcdef"


@pytest.mark.parametrize("kind", ["Place", "a b", 'x" onclick="y', "", "1a"])
def test_span_kinds_must_be_class_names(kind):
    with pytest.raises(ValueError):
        highlight_html("abc", [Span(0, 1, kind)])


def test_seed_article_marks_places_and_quotes(seed_article, gazetteer):
    story = tell_story(seed_article, gazetteer=gazetteer)
    markup = article_html(story)
    assert markup.count("<p") == len(seed_article.paragraphs)
    assert '<span class="geomap-place" title="Buenaventura (Colombia)">Buenaventura</span>' in markup
    # A place named inside a quote carries both marks.
    assert re.search(r'<span class="geomap-place geomap-quote" title="Ecuador · quote: Gustavo Petro">Ecuador</span>', markup)
    # "the two countries" names Colombia and Ecuador indirectly.
    assert 'class="geomap-place-ref geomap-quote"' in markup
    page = shown(markup)
    shown_text = "".join(page.text)
    for paragraph in seed_article.paragraphs:
        assert seed_article.text[paragraph.start : paragraph.end] in shown_text
    spans = story_spans(story)
    assert sum(s.kind == "geomap-quote" for s in spans) == sum(len(q.parts) for q in seed_article.quotes)


def test_hostile_article_stays_text(gazetteer):
    hostile = " ".join(HOSTILE)
    article = read_article(f"Ships {hostile} at sea\nShips left Manta for Guayaquil, \u201c{hostile}\u201d said Ana Ruiz.")
    markup = article_html(tell_story(article, gazetteer=gazetteer))
    page = shown(markup)
    assert set(page.tags) <= {"style", "div", "span", "p"}
    assert "".join(page.text).count(hostile) == 2
    assert "<script>alert" not in markup and "<img src" not in markup
