"""The one door through which article text enters HTML.

folium 0.20 pastes popup and tooltip HTML into a JavaScript template literal
inside ``<script>``: ``<img onerror>`` runs, ``</script>`` ends the script,
``${...}`` is evaluated and a lone backslash breaks the literal. Escaping for
HTML alone is therefore not enough; :func:`html_text` escapes for HTML *and*
for the template literal around it, and every string taken from an article
goes through it before it reaches a renderer.
"""

from __future__ import annotations

import html

__all__ = ["html_text"]

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
