"""The results chart: the sums of the rows shown, as bars; hidden rows are left out and the
table beside it says so (`lib.charts` says how charts are drawn and made accessible)."""

import functools

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
