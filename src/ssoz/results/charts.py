"""The results charts: the sums of the rows shown, as bars, hidden rows left out and the table
beside it saying so; and a survey's radar of an entity's areas against its peers'
(`lib.charts` says how charts are drawn and made accessible)."""

import functools
from collections.abc import Sequence

import pygal
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ssoz.lib.charts import accessible_svg, chart_style
from ssoz.results.aggregates import Aggregate

# Beyond this many rows (the country's 380 counties) the bars are too thin: the table alone.
MAX_ROWS = 40
_STYLE = chart_style(("#0b5cad",))


def sums_chart(result: Aggregate, figure_label: str, *, nonce: str | None) -> SafeString | None:
    shown = tuple((row.label, float(row.total)) for row in result.rows if not row.hidden)
    if not shown or len(result.rows) > MAX_ROWS:
        return None
    title = _("%(figure)s – suma według: %(breakdown)s") % {
        "figure": figure_label,
        "breakdown": result.breakdown_label,
    }
    svg = accessible_svg(_draw(shown), title, nonce, title_id="results-chart-title")
    return mark_safe(svg)  # noqa: S308 (pygal escapes its labels)


@functools.lru_cache(maxsize=64)
def _draw(rows: tuple[tuple[str, float], ...]) -> str:
    chart = pygal.HorizontalBar(
        style=_STYLE,
        js=[],
        disable_xml_declaration=True,
        no_prefix=True,
        show_legend=False,
        width=480,
        height=max(300, 160 + 28 * len(rows)),
        truncate_label=24,
        margin=12,
    )
    chart.x_labels = [label for label, _value in rows]
    chart.add("", [value for _label, value in rows])
    return chart.render(is_unicode=True)


# The entity's line and its peers': blue and dark orange, told apart by hue for most readers
# with a colour-vision deficiency and, for everyone, by the dashes of the peers' line.
_RADAR_STYLE = chart_style(("#0b5cad", "#9c4a00"))


def maturity_radar(
    labels: Sequence[str],
    own: Sequence[float | None],
    peers: Sequence[float | None] | None,
    *,
    title: str,
    own_label: str,
    peers_label: str,
    nonce: str | None,
    title_id: str = "maturity-radar-title",
) -> SafeString:
    """An entity's area scores on the 0–5 scale, with its peers' means when they are shown
    (the table beside the chart holds the same figures)."""
    svg = _draw_radar(
        tuple(labels),
        tuple(own),
        tuple(peers) if peers is not None else None,
        own_label,
        peers_label,
    )
    return mark_safe(accessible_svg(svg, title, nonce, title_id=title_id))  # noqa: S308


@functools.lru_cache(maxsize=64)
def _draw_radar(labels, own, peers, own_label: str, peers_label: str) -> str:
    chart = pygal.Radar(
        style=_RADAR_STYLE,
        js=[],
        disable_xml_declaration=True,
        no_prefix=True,
        fill=False,
        range=(0, 5),
        width=640,
        height=560,
        truncate_label=28,
        legend_at_bottom=True,
        legend_at_bottom_columns=1,
        margin=12,
        dots_size=4,
    )
    chart.x_labels = list(labels)
    chart.y_labels = [0, 1, 2, 3, 4, 5]
    chart.add(own_label, list(own), stroke_style={"width": 3})
    if peers is not None:
        chart.add(peers_label, list(peers), stroke_style={"width": 3, "dasharray": "9, 5"})
    return chart.render(is_unicode=True)
