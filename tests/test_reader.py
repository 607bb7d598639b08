"""Reading files: encodings, and clear errors for what is not an article."""

from __future__ import annotations

import pytest

from geo.errors import ArticleError, GeoError
from geo.reader import article_from_bytes, decode_text, html_to_text, load_article


def test_seed_reads_with_twelve_paragraphs(seed_article, gold):
    assert len(seed_article.paragraphs) == gold["paragraphs"]
    assert seed_article.headline.startswith("Major drug traffickers have left Colombia")


def test_latin1_file_reads_correctly(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Bogotá news\nMario Pazmiño said it rained in Bogotá.".encode("latin-1"))
    article = load_article(path)
    assert "Pazmiño" in article.text and article.headline == "Bogotá news"


def test_utf8_bom_and_utf16_read(tmp_path):
    assert decode_text("\ufeffQuito\nText".encode("utf-8")) == "Quito\nText"
    assert decode_text("Quito\r\nText".encode("utf-16")) == "Quito\nText"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n\t", "is empty"),
        (bytes(range(256)) * 4, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_bad_files_give_one_line_errors(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match=message) as caught:
        load_article(path)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, (GeoError, ValueError))


def test_missing_file(tmp_path):
    with pytest.raises(ArticleError, match="no such file"):
        load_article(tmp_path / "missing.txt")


def test_directory_is_not_an_article(tmp_path):
    with pytest.raises(ArticleError, match="directory"):
        load_article(tmp_path)


def test_too_large_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"Headline\n" + b"Quito is busy. " * 700_000)  # about 10 MB
    with pytest.raises(ArticleError, match=r"10\.5 MB; an article may be at most 2\.0 MB"):
        load_article(path)


def test_html_upload_is_reduced_to_text():
    page = b"<html><head><title>Port news</title><script>alert(1)</script></head><body><p>Ships left Manta.</p></body></html>"
    article = article_from_bytes(page, name="page.html")
    assert article.headline == "Port news"
    assert "alert" not in article.text and "Ships left Manta." in article.text


def test_html_to_text_keeps_blocks_apart():
    assert html_to_text("<p>One</p><p>Two</p>") == "One\nTwo"


def test_an_article_remade_with_replace_reads_its_own_capitals(gazetteer):
    import dataclasses

    from geo.article import read_article
    from geo.places import find_places

    first = read_article("Rain\nDr. Ana Ruiz said it rained in Oslo and Bergen, as sources said.")
    second = read_article("Storm\nThe minister went to Tromsø; Aarhus and Odense were wet.")
    content = ("text", "paragraphs", "sentences", "organisations", "people", "quotes", "tokens", "paragraph_starts", "sentence_starts")
    remade = dataclasses.replace(first, **{name: getattr(second, name) for name in content})
    expected = [p.name for p in find_places(second, gazetteer=gazetteer)]
    assert expected and [p.name for p in find_places(remade, gazetteer=gazetteer)] == expected
