"""Inline SVG charts: accessible (role=img, <title>, aria-label), deterministic, no JavaScript."""

from __future__ import annotations

from collections.abc import Callable

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


def heat_map(
    rows: list[tuple[str, str]],
    cols: list[str],
    cells: dict[tuple[str, str], int],
    label: str,
    href: Callable[[str, str], str] | None = None,
) -> Markup:
    """rows: (row id, row label); cols: column labels; cells[(row id, col)] = count. With `href(row id, col)`
    each cell with papers is a link named by its row, column and count. A count is written on a pill of the
    page's background, so it reads at 4.5:1 on any shade of the cell."""
    if not rows or not cols:
        return Markup("")
    left, cw, ch, top = 190, 64, 24, 34
    w, h = left + cw * len(cols) + 10, top + ch * len(rows) + 10
    peak = max(cells.values(), default=0) or 1
    role = 'role="group"' if href else 'role="img"'  # links inside an image would be hidden from readers
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heat-map" {role} '
        f'aria-label="{escape(label)}" viewBox="0 0 {w} {h}" width="{w}" height="{h}">',
        f"<title>{escape(label)}</title>",
    ]
    for j, col in enumerate(cols):
        parts.append(
            f'<text x="{left + j * cw + cw / 2:g}" y="{top - 10}" text-anchor="middle" class="label" aria-hidden="true">'
            f"{escape(col)}</text>"
        )
    for i, (row_id, row_label) in enumerate(rows):
        y = top + i * ch
        parts.append(
            f'<text x="{left - 8}" y="{y + ch / 2 + 4:g}" text-anchor="end" class="label" aria-hidden="true">'
            f"{escape(row_label)}</text>"
        )
        for j, col in enumerate(cols):
            parts.append(_cell(left + j * cw, y, cw, ch, cells.get((row_id, col), 0), peak, row_label, col,
                               href(row_id, col) if href else None))  # fmt: skip
    parts.append("</svg>")
    return Markup("".join(parts))


def _cell(x: int, y: int, cw: int, ch: int, count: int, peak: int, row: str, col: str, href: str | None) -> str:
    name = escape(f"{row} × {col}：{count} 篇")
    opacity = 0.08 + 0.92 * count / peak if count else 0.03
    cell = (
        f'<rect x="{x + 1}" y="{y + 1}" width="{cw - 2}" height="{ch - 2}" rx="2" class="cell" '
        f'fill-opacity="{opacity:.2f}"><title>{name}</title></rect>'
    )
    if not count:
        return cell
    pill = 8 + 7 * len(str(count))
    cell += (
        f'<rect x="{x + (cw - pill) / 2:g}" y="{y + 5}" width="{pill}" height="{ch - 10}" rx="7" class="value-bg"/>'
        f'<text x="{x + cw / 2:g}" y="{y + ch / 2 + 4:g}" text-anchor="middle" class="value">{count}</text>'
    )
    return f'<a href="{escape(href)}" aria-label="{name}">{cell}</a>' if href else cell
