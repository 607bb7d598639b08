"""Static map images: PNG and SVG of a story, offline, with the web map's symbols."""

from __future__ import annotations

import dataclasses
import html
import io
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest

from geo.errors import ExportError
from PIL import Image

from geo.article import read_article
from geo.pipeline import tell_story
from geo.render import style
from geo.render.static import MAX_SIDE, SUBTITLE, render_png, render_svg

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def seed_story(seed_article, gazetteer):
    return tell_story(seed_article, gazetteer=gazetteer)


@pytest.fixture(scope="module")
def seed_png(seed_story):
    return render_png(seed_story, width=1600, height=1000)


@pytest.fixture(scope="module")
def seed_svg(seed_story):
    return render_svg(seed_story)


def _story(text, gazetteer):
    return tell_story(read_article(text), gazetteer=gazetteer)


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _colour_counts(png):
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return dict((colour, count) for count, colour in image.getcolors(maxcolors=image.width * image.height))


def _svg_texts(svg):
    """Every text the SVG carries: matplotlib writes each drawn string as a comment beside its glyphs."""
    root = ET.fromstring(svg, parser=ET.XMLParser(target=ET.TreeBuilder(insert_comments=True)))
    return " ".join(node.text or "" for node in root.iter() if node.tag is ET.Comment)


def _svg_text_glyphs(svg):
    """(text, number of glyphs drawn) for each text matplotlib drew as glyphs."""
    root = ET.fromstring(svg, parser=ET.XMLParser(target=ET.TreeBuilder(insert_comments=True)))
    found = []
    for group in root.iter(f"{SVG_NS}g"):
        children = list(group)
        if (group.get("id") or "").startswith("text_") and children and children[0].tag is ET.Comment:
            text = html.unescape(children[0].text.strip())
            found.append((text, sum(1 for node in group.iter(f"{SVG_NS}use"))))
    return found


def test_png_has_the_requested_size(seed_story, seed_png):
    assert seed_png.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(seed_png)).size == (1600, 1000)
    assert Image.open(io.BytesIO(render_png(seed_story, width=1234, height=567))).size == (1234, 567)


def test_png_draws_the_story_in_its_colours(seed_png):
    counts = _colour_counts(seed_png)
    assert len(counts) > 500  # a map, not a blank page
    smuggling = counts.get(_rgb(style.FLOW_COLOURS["smuggling"]), 0)
    assert smuggling > 2000  # the Colombia -> Ecuador arrows, lines and heads
    for trend in ("up", "down"):
        assert counts.get(_rgb(style.TREND_COLOURS[trend]), 0) > 100, trend


def test_png_carries_no_library_version(seed_png):
    assert b"Matplotlib" not in seed_png and b"matplotlib" not in seed_png


def test_svg_parses_and_has_the_requested_pixel_size(seed_svg):
    root = ET.fromstring(seed_svg)
    assert root.tag == f"{SVG_NS}svg"
    assert (root.get("width"), root.get("height")) == ("1600px", "1000px")


def test_svg_carries_headline_subtitle_legend_and_credits(seed_story, seed_svg):
    texts = _svg_texts(seed_svg)
    headline_words = seed_story.article.headline.split()
    assert " ".join(headline_words[:4]) in texts  # the headline, wrapped over lines
    assert SUBTITLE in texts
    for label in ("Place named in the article", "Smuggling: arrow points where it goes", "Port pressure rising",
                  "Port pressure easing", "Inferred: not named in the article", "Province named in the article"):
        assert label in texts, label
    assert "Natural Earth (public domain)" in texts and "GeoNames (CC BY 4.0)" in texts
    assert "US Census Bureau (public domain)" in texts
    assert "000_52007b56ccc49824.txt" in texts


def test_svg_names_the_places_beyond_the_map(seed_svg):
    texts = _svg_texts(seed_svg)
    assert "Beyond this map" in texts
    for name in ("Miami", "Madrid", "Dubai"):
        assert name in texts, name


def test_the_same_story_gives_the_same_svg(seed_story, seed_svg):
    assert render_svg(seed_story) == seed_svg
    assert b"<dc:date>" not in seed_svg and b"Matplotlib v" not in seed_svg


def test_the_same_story_gives_the_same_png(seed_story, seed_png):
    assert render_png(seed_story, width=1600, height=1000) == seed_png


def test_hostile_headline_is_text_not_markup(gazetteer):
    story = _story(
        "Cartel paid $5 million and $6 million <script>alert(1)</script> & more in Quito\n"
        "The money went from Quito, Ecuador to Lima, Peru, police said.",
        gazetteer,
    )
    svg = render_svg(story, width=1200, height=800)
    root = ET.fromstring(svg)  # well-formed XML
    assert b"<script" not in svg.lower()
    assert not any(element.tag.endswith("script") for element in root.iter())
    # The headline is the SVG's title, escaped for XML and read back as the very same text.
    title = root.find(".//{http://purl.org/dc/elements/1.1/}title")
    assert title is not None and title.text == story.article.headline
    assert "<script>alert(1)</script> & more" in html.unescape(_svg_texts(svg))
    # Every character of the headline is drawn: mathtext would have eaten the
    # dollar signs and the spaces between them.
    money = [(text, glyphs) for text, glyphs in _svg_text_glyphs(svg) if "$" in text]
    assert "$5 million and $6 million" in " ".join(text for text, _ in money)
    assert all(glyphs == len(text) for text, glyphs in money), money
    assert Image.open(io.BytesIO(render_png(story, width=1200, height=800))).size == (1200, 800)


def test_a_story_without_flows_or_ports_renders(gazetteer):
    story = _story("Floods hit Lima\nHeavy rain flooded streets in Lima on Monday, officials said.", gazetteer)
    assert not story.flows and not story.pressures
    png = render_png(story, width=800, height=600)
    assert Image.open(io.BytesIO(png)).size == (800, 600)
    texts = _svg_texts(render_svg(story, width=800, height=600))
    assert "Floods hit Lima" in texts and "Place named in the article" in texts
    assert "Smuggling" not in texts
    assert "Beyond this map" not in texts  # its only place is on the map


def test_an_article_with_no_places_renders_a_world_map(gazetteer):
    story = _story("Council meets\nThe council met on Tuesday and nothing happened.", gazetteer)
    assert not story.places
    assert len(_colour_counts(render_png(story, width=640, height=480))) > 20
    assert "No places found in the article" in _svg_texts(render_svg(story, width=640, height=480))


def test_a_story_across_the_antimeridian_is_drawn_the_short_way(gazetteer):
    story = _story(
        "Fiji and Samoa sign fisheries pact\nOfficials from Suva, Fiji, and Apia, Samoa, met on Tuesday.", gazetteer
    )
    assert {p.name for p in story.places} >= {"Suva", "Apia"}
    texts = _svg_texts(render_svg(story))
    assert "Suva" in texts and "Apia" in texts
    png = render_png(story)
    # Both islands fit on a map a few hundred kilometres wide, so it is mostly sea, with land drawn.
    counts = _colour_counts(png)
    assert counts.get(_rgb("#dae5ed"), 0) > 0.5 * 1600 * 1000
    assert counts.get(_rgb("#f7f5f0"), 0) > 2000


@pytest.mark.parametrize("size", [(10, 1000), (1600, 0), (MAX_SIDE + 1, 1000), (1600.5, 1000), (True, 1000)])
def test_unreasonable_sizes_are_refused(seed_story, size):
    width, height = size
    with pytest.raises(ExportError):
        render_png(seed_story, width=width, height=height)


def test_renders_are_safe_side_by_side(seed_story, seed_svg):
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _: render_svg(seed_story), range(3)))
    assert all(result == seed_svg for result in results)


def test_an_inferred_flow_is_drawn(seed_story):
    story = dataclasses.replace(seed_story, flows=(dataclasses.replace(seed_story.flows[0], inferred=True),))
    counts = _colour_counts(render_png(story))
    assert counts.get(_rgb(style.FLOW_COLOURS["smuggling"]), 0) > 500  # dashes and the head
