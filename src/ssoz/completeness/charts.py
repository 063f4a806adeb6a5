"""The completeness chart: pygal draws it on the server as SVG, put inline in the page.

The chart is a picture of the table beside it, which is its accessible equivalent: the SVG
is an image with a title that says so. It needs no script (pygal's own is left out, with the
configuration it writes for it), and its
one style element carries the page's CSP nonce.
"""

import functools
import re
from collections.abc import Sequence

import pygal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

from ssoz.completeness.models import EntityState
from ssoz.completeness.selectors import GroupCounts

# Beyond this many groups (the country's 380 counties) the bars are too thin to read: the
# table alone is shown.
MAX_GROUPS = 40
# One colour per state, each with a contrast of at least 3:1 against the white plot (WCAG 1.4.11).
_COLOURS = {
    EntityState.NOT_ACTIVATED: "#b3261e",
    EntityState.FILLING: "#8a5a00",
    EntityState.RETURNED: "#6a3d9a",
    EntityState.SENT: "#0b5cad",
    EntityState.APPROVED: "#1b6e3a",
    EntityState.EXEMPTED: "#5f6368",
}
_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#595959",
    font_family="Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    colors=tuple(_COLOURS.values()),
)
_HIDDEN_TOOLTIP = re.compile(r' style="opacity: 0"')
# pygal writes its configuration for its script even when it loads none.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)


def states_chart(
    groups: Sequence[GroupCounts], grouping_label: str, *, nonce: str | None
) -> SafeString | None:
    """The entities of each group by state as stacked bars; None when there is nothing to
    draw, or too many groups to draw legibly."""
    if not groups or len(groups) > MAX_GROUPS:
        return None
    title = _("Podmioty według stanu sprawozdania – %(grouping)s") % {"grouping": grouping_label}
    series = tuple(
        (str(state.label), tuple(group.counts[state] for group in groups)) for state in EntityState
    )
    svg = _draw(tuple(group.label for group in groups), series)
    return mark_safe(_accessible(svg, title, nonce))  # noqa: S308 (pygal escapes its labels)


# pygal takes longer to draw a chart (10–20 ms) than the database takes to count; the same
# figures give the same picture, so the drawings of the last figures asked for are kept.
@functools.lru_cache(maxsize=64)
def _draw(labels: tuple[str, ...], series: tuple[tuple[str, tuple[int, ...]], ...]) -> str:
    chart = pygal.HorizontalStackedBar(
        style=_STYLE,
        js=[],
        disable_xml_declaration=True,
        no_prefix=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        truncate_legend=-1,
        width=480,
        height=max(340, 200 + 28 * len(labels)),
        print_values=False,
        truncate_label=24,
        margin=12,
        # pygal leaves too little room under a legend of several rows.
        margin_bottom=32,
    )
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return chart.render(is_unicode=True)


def _accessible(svg: str, title: str, nonce: str | None) -> str:
    """pygal's SVG as an image named by its title, with its style allowed by the nonce and
    nothing the page's CSP refuses (inline style attributes, an empty id)."""
    svg = _SCRIPT.sub("", _HIDDEN_TOOLTIP.sub("", svg))
    svg = svg.replace(' id=""', "", 1)
    svg = svg.replace(
        "<svg ",
        '<svg role="img" aria-labelledby="completeness-chart-title" focusable="false" ',
        1,
    )
    opening = svg.index(">") + 1
    svg = (
        svg[:opening]
        + f'<title id="completeness-chart-title">{escape(title)}</title>'
        + svg[opening:]
    )
    if nonce:
        svg = svg.replace("<style ", f'<style nonce="{escape(nonce)}" ', 1)
    return svg
