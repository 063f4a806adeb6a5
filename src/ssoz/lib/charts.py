"""Charts drawn on the server by pygal, put inline in the page as SVG.

A chart is a picture of the table beside it, which is its accessible equivalent: the SVG is an
image with a title that says so. It needs no script (pygal's own is left out, with the
configuration it writes for it), and its one style element carries the page's CSP nonce.
"""

import re

from django.utils.html import escape
from pygal.style import Style


def chart_style(colours: tuple[str, ...]) -> Style:
    """The site's chart style: black text on white, with the given series colours (each
    with a contrast of at least 3:1 against the white plot, WCAG 1.4.11)."""
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1a1a1a",
        foreground_strong="#1a1a1a",
        foreground_subtle="#595959",
        font_family="Arial, sans-serif",
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=14,
        colors=colours,
    )


_HIDDEN_TOOLTIP = re.compile(r' style="opacity: 0"')
# pygal writes its configuration for its script even when it loads none.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)


def accessible_svg(svg: str, title: str, nonce: str | None, *, title_id: str) -> str:
    """pygal's SVG as an image named by its title, with its style allowed by the nonce and
    nothing the page's CSP refuses (inline style attributes, an empty id)."""
    svg = _SCRIPT.sub("", _HIDDEN_TOOLTIP.sub("", svg))
    svg = svg.replace(' id=""', "", 1)
    svg = svg.replace(
        "<svg ", f'<svg role="img" aria-labelledby="{title_id}" focusable="false" ', 1
    )
    opening = svg.index(">") + 1
    svg = svg[:opening] + f'<title id="{title_id}">{escape(title)}</title>' + svg[opening:]
    if nonce:
        svg = svg.replace("<style ", f'<style nonce="{escape(nonce)}" ', 1)
    return svg
