"""The one escaping function: what it leaves behind can break neither HTML nor folium's template literal."""

from __future__ import annotations

import html

import pytest

from geo.escape import html_text

HOSTILE = ["<script>alert(1)</script>", "</script>", "<img src=x onerror=alert(2)>", "${alert(3)}", "C:\\x", "`tick`", 'say "hi"', "it's"]


@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_active_survives(text):
    escaped = html_text(text)
    for char in "<>\"'`\\$":
        assert char not in escaped, char


@pytest.mark.parametrize("text", HOSTILE)
def test_the_reader_sees_the_original_text(text):
    assert html.unescape(html_text(text)) == text
