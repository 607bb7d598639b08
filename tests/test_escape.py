"""The one escaping function: what it leaves behind can break neither HTML nor folium's template literal."""

from __future__ import annotations

import html
import json

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


@pytest.mark.parametrize("value", ["</script><!-- </SCRIPT", "a &amp; b</div>\u2028\u2029", {"k": ["<!--x", 1.5]}, ""])
def test_script_json_reads_back_and_cannot_end_a_script(value):
    from geo.escape import script_json

    for compact in (False, True):
        text = script_json(value, compact=compact)
        assert json.loads(text) == value
        assert "</script" not in text.lower() and "<!--" not in text and "\u2028" not in text
