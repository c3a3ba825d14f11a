"""Links added into rendered documents: each section about a paper points at the paper's page."""

from __future__ import annotations

import re

from markupsafe import escape


def add_paper_links(html: str, targets: dict[str, tuple[str, str]]) -> str:
    """targets: heading id -> (paper href, paper title). A link goes right after that heading."""
    if not targets:
        return str(html)

    def insert(m: re.Match) -> str:
        target = targets.get(m.group("id"))
        if target is None:
            return m.group(0)
        href, title = target
        return (
            f'{m.group(0)}\n<p class="paper-link">📄 <a href="{escape(href)}" title="{escape(title)}">'
            f"论文页面：{escape(title)}</a></p>"
        )

    return re.sub(r'<h(?P<level>[1-6]) id="(?P<id>[^"]+)">.*?</h(?P=level)>', insert, html, flags=re.S)
