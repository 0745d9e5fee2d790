"""The hub page's charts, drawn on the server as inline SVG: the numbers come from the read
layer (hubs.selectors), these tags only place them. The Content-Security-Policy allows no
style attributes, so sizes are SVG attributes and colours are CSS classes."""

from dataclasses import dataclass

from django import template

register = template.Library()

# The column chart's drawing box (SVG user units; the SVG scales to its column).
WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 4, 4, 16, 24  # room for counts above bars, labels below
CHAR_WIDTH = 6.2  # of a label's character at the labels' font size, roughly


@dataclass(frozen=True)
class Column:
    label: str
    count: int
    x: float
    y: float
    count_y: float
    width: float
    height: float
    centre: float
    label_x: float
    named: bool  # its label is drawn under the axis


@register.inclusion_tag("hubs/includes/column_chart.html")
def column_chart(periods, *, title: str, chart_id: str):
    """Vertical bars, one per period (LabelCount, share of the busiest), with their counts
    above when they fit and every nth label below."""
    slot = (WIDTH - LEFT - RIGHT) / max(len(periods), 1)
    plot = HEIGHT - TOP - BOTTOM
    # Every nth period is named, n as small as lets the longest label fit with a gap.
    widest = max((len(period.label) for period in periods), default=0) * CHAR_WIDTH
    step = max(1, -(-int(widest + 8) // max(int(slot), 1)))  # ceiling division
    columns = []
    for index, period in enumerate(periods):
        height = round(period.share * plot, 2)
        x = LEFT + index * slot
        columns.append(
            Column(
                label=period.label,
                count=period.count,
                x=round(x + slot * 0.12, 2),
                y=round(TOP + plot - height, 2),
                count_y=round(TOP + plot - height - 4, 2),
                width=round(slot * 0.76, 2),
                height=height,
                centre=round(x + slot / 2, 2),
                # Kept inside the drawing, so the first and last labels are not cut.
                label_x=round(
                    min(
                        max(x + slot / 2, len(period.label) * CHAR_WIDTH / 2),
                        WIDTH - len(period.label) * CHAR_WIDTH / 2,
                    ),
                    2,
                ),
                named=index % step == 0,
            )
        )
    return {
        "columns": columns,
        "title": title,
        "chart_id": chart_id,
        "width": WIDTH,
        "height": HEIGHT,
        "axis": TOP + plot,
        "label_y": HEIGHT - 6,
        "counts_shown": len(periods) <= 16,  # beyond, the counts are in the table
    }


@dataclass(frozen=True)
class Segment:
    value: str
    label: str
    count: int
    x: float
    width: float


@register.inclusion_tag("hubs/includes/stacked_bar.html")
def stacked_bar(parts, scale: float = 1.0):
    """One horizontal bar split into `parts` (LabelCount, shares of the bar), the bar
    itself `scale` (0..1) of the track's width."""
    segments, x = [], 0.0
    for part in parts:
        width = part.share * scale * 100
        if width > 0:
            segments.append(
                Segment(
                    value=part.value,
                    label=part.label,
                    count=part.count,
                    x=round(x, 3),
                    width=round(width, 3),
                )
            )
        x += width
    return {"segments": segments}


@register.inclusion_tag("hubs/includes/swatch.html")
def swatch(value: str):
    """The colour key of one role or polarity value, as its bars draw it."""
    return {"value": value}
