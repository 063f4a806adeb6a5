"""The completeness chart: the obliged entities of each group by state, as stacked bars
(`lib.charts` says how charts are drawn and made accessible)."""

import functools
from collections.abc import Sequence

import pygal
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ssoz.completeness.models import EntityState
from ssoz.completeness.selectors import GroupCounts
from ssoz.lib.charts import accessible_svg, chart_style

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
_STYLE = chart_style(tuple(_COLOURS.values()))


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
    svg = accessible_svg(svg, title, nonce, title_id="completeness-chart-title")
    return mark_safe(svg)  # noqa: S308 (pygal escapes its labels)


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
