"""The one door through which article text enters HTML, and the one way
values enter the page's scripts.

folium 0.20 pastes popup and tooltip HTML into a JavaScript template literal
inside ``<script>``: ``<img onerror>`` runs, ``</script>`` ends the script,
``${...}`` is evaluated and a lone backslash breaks the literal. Escaping for
HTML alone is therefore not enough; :func:`html_text` escapes for HTML *and*
for the template literal around it, and every string taken from an article
goes through it before it reaches a renderer. :func:`script_json` writes
any value into a ``<script>`` as a JavaScript literal that cannot end it.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

__all__ = ["html_text", "script_json"]

_TEMPLATE_LITERAL = str.maketrans(
    {
        "\\": "&#92;",
        "`": "&#96;",
        "$": "&#36;",
    }
)


def html_text(text: str) -> str:
    """Escape untrusted text for HTML that may sit inside a JS template literal.

    The result shows the original characters when rendered as HTML, and holds
    none of ``< > & " ' \\ ` $``.

    >>> html_text("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> html_text("${alert(3)} C:\\\\x `tick`")
    '&#36;{alert(3)} C:&#92;x &#96;tick&#96;'
    >>> html_text("")
    ''
    """
    return html.escape(text, quote=True).translate(_TEMPLATE_LITERAL)


# What ends a script or enters HTML's "escaped" script state, whatever its case.
_SCRIPT_BREAKERS = re.compile(r"<(?:/script|!--)", re.IGNORECASE)


def script_json(value: Any, *, compact: bool = False) -> str:
    r"""``value`` as JSON that is also a JavaScript literal safe inside ``<script>``.

    ``</script`` and ``<!--`` lose their ``<`` to ``\u003c``, and the line
    separators U+2028/U+2029 (legal in JSON, not in older JavaScript) are
    escaped; the value reads back unchanged. ``&`` stays as it is: entities
    in markup are HTML's business. ``compact`` drops the spaces after
    separators (for the map's data).

    >>> script_json("</script><!-- </SCRIPT")
    '"\\u003c/script>\\u003c!-- \\u003c/SCRIPT"'
    >>> script_json({"a": [1, 2]}, compact=True), script_json("")
    ('{"a":[1,2]}', '""')
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":") if compact else None)
    text = _SCRIPT_BREAKERS.sub(lambda match: "\\u003c" + match.group(0)[1:], text)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
