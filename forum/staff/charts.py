"""Small bar charts drawn on the server as inline SVG: no script, no CDN. Each chart has a
``<title>`` and an aria label; the page puts the same numbers in a table beside it."""

from markupsafe import Markup, escape

WIDTH, LABEL_WIDTH, ROW, BAR_GAP = 420, 130, 26, 6


def bar_chart(chart_id, title, rows, unit=""):
    """A horizontal bar chart of ``rows`` ([(label, number)]) as SVG markup."""
    top = max((value for _label, value in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 50
    height = ROW * len(rows) + 4
    parts = [
        Markup(
            '<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-title" '
            'viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">'
            '<title id="{id}-title">{title}</title>'
        ).format(id=chart_id, w=WIDTH, h=height, title=title)
    ]
    for i, (label, value) in enumerate(rows):
        y = i * ROW + 2
        length = round(span * value / top, 1)
        parts.append(
            Markup(
                '<g><text x="{lx}" y="{ty}" text-anchor="end" class="chart-label">{label}</text>'
                '<rect x="{x}" y="{y}" width="{length}" height="{bar}" class="chart-bar">'
                "<title>{label}: {value}{unit}</title></rect>"
                '<text x="{vx}" y="{ty}" class="chart-value">{value}{unit}</text></g>'
            ).format(
                lx=LABEL_WIDTH - 8,
                ty=y + ROW / 2 + 2,
                label=escape(label),
                x=LABEL_WIDTH,
                y=y,
                length=length,
                bar=ROW - BAR_GAP,
                value=value,
                unit=unit,
                vx=LABEL_WIDTH + length + 6,
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
