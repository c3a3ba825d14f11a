"""Inline SVG charts: accessible (role=img, <title>, aria-label), deterministic, no JavaScript."""

from __future__ import annotations

from markupsafe import Markup, escape


def bar_chart(counts: list[tuple[str, int]], label: str, width: int = 480, bar_height: int = 120) -> Markup:
    """A vertical bar per (label, count), e.g. papers per year."""
    if not counts:
        return Markup("")
    n = len(counts)
    top = max(c for _, c in counts) or 1
    slot = min(56, (width - 20) // n)
    w = slot * n + 20
    h = bar_height + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bar-chart" role="img" '
        f'aria-label="{escape(label)}" viewBox="0 0 {w} {h}" width="{w}" height="{h}">',
        f"<title>{escape(label)}</title>",
    ]
    for i, (name, count) in enumerate(counts):
        bh = round(bar_height * count / top)
        x = 10 + i * slot + 4
        y = 16 + bar_height - bh
        parts.append(
            f'<g><rect x="{x}" y="{y}" width="{slot - 8}" height="{bh}" rx="2" class="bar">'
            f"<title>{escape(name)}: {count}</title></rect>"
            f'<text x="{x + (slot - 8) / 2:g}" y="{y - 3}" text-anchor="middle" class="value">{count}</text>'
            f'<text x="{x + (slot - 8) / 2:g}" y="{h - 8}" text-anchor="middle" class="label">{escape(name)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def heat_map(rows: list[tuple[str, str]], cols: list[str], cells: dict[tuple[str, str], int], label: str) -> Markup:
    """rows: (row id, row label); cols: column labels; cells[(row id, col)] = count."""
    if not rows or not cols:
        return Markup("")
    left, cw, ch, top = 190, 64, 24, 34
    w, h = left + cw * len(cols) + 10, top + ch * len(rows) + 10
    peak = max(cells.values(), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heat-map" role="img" '
        f'aria-label="{escape(label)}" viewBox="0 0 {w} {h}" width="{w}" height="{h}">',
        f"<title>{escape(label)}</title>",
    ]
    for j, col in enumerate(cols):
        parts.append(
            f'<text x="{left + j * cw + cw / 2:g}" y="{top - 10}" text-anchor="middle" class="label">{escape(col)}</text>'
        )
    for i, (row_id, row_label) in enumerate(rows):
        y = top + i * ch
        parts.append(
            f'<text x="{left - 8}" y="{y + ch / 2 + 4:g}" text-anchor="end" class="label">{escape(row_label)}</text>'
        )
        for j, col in enumerate(cols):
            count = cells.get((row_id, col), 0)
            opacity = 0.08 + 0.92 * count / peak if count else 0.03
            parts.append(
                f'<rect x="{left + j * cw + 1}" y="{y + 1}" width="{cw - 2}" height="{ch - 2}" rx="2" '
                f'class="cell" fill-opacity="{opacity:.2f}"><title>{escape(row_label)} × {escape(col)}: {count}</title></rect>'
            )
            if count:
                parts.append(
                    f'<text x="{left + j * cw + cw / 2:g}" y="{y + ch / 2 + 4:g}" text-anchor="middle" class="value">{count}</text>'
                )
    parts.append("</svg>")
    return Markup("".join(parts))
