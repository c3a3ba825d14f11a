"""What an import did, as the lines `papernotes import hexo` prints (pure)."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic


def term_key(name: str) -> str:
    """One tag or category however it is cased (`Docker` and `docker`), as papernotes shows them."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


@dataclass
class ImportReport:
    counts: Counter = field(default_factory=Counter)  # posts, drafts, pages, assets, static, skipped, redirects…
    dated: Counter = field(default_factory=Counter)  # where added dates came from: git, mtime, file name
    tags: list[str] = field(default_factory=list)  # every use
    categories: list[tuple[str, ...]] = field(default_factory=list)  # every use, a path from the top
    site_yaml: str = ""  # "written" or why not
    problems: list[Diagnostic] = field(default_factory=list)

    def tag_count(self) -> tuple[int, list[str]]:
        """Distinct tags, and the spellings counted as one (`Docker/docker`)."""
        spellings: dict[str, set[str]] = defaultdict(set)
        for tag in self.tags:
            spellings[term_key(tag)].add(tag)
        return len(spellings), ["/".join(sorted(s)) for _, s in sorted(spellings.items()) if len(s) > 1]

    def category_count(self) -> int:
        """Distinct categories: every level of every path (`[A, B]` is A and A › B)."""
        levels = {path[:depth] for path in self.categories for depth in range(1, len(path) + 1)}
        return len({tuple(map(term_key, level)) for level in levels})

    def lines(self, blog: str, target: str) -> list[str]:
        c, dated = self.counts, self.dated
        tags, merged = self.tag_count()
        added = ", ".join(f"{n} from {origin}" for origin, n in sorted(dated.items()))
        out = [
            f"imported {blog} into {target}",
            f"  posts:      {c['posts']}" + (f" (date added: {added})" if added else ""),
            f"  drafts:     {c['drafts']} (in posts/_drafts/, published only with --drafts)",
            f"  pages:      {c['pages']}",
            f"  assets:     {c['assets']} (post asset folders)",
            f"  static:     {c['static']} (images and other files under source/)",
            f"  tags:       {tags}" + (f" ({', '.join(merged)} counted as one each)" if merged else ""),
            f"  categories: {self.category_count()}",
            f"  redirects:  {c['redirects']} (aliases: added; each old URL becomes a redirect page)",
        ]
        if c["pattern"]:
            out.append(f"  kept URLs:  {c['pattern']} by site.yaml's permalink:, {c['pinned']} pinned by permalink:")
        if c["skipped"]:
            out.append(f"  skipped:    {c['skipped']} (names starting with _ or ., as Hexo skips them)")
        out.append(f"  site.yaml:  {self.site_yaml}")
        shown = sorted(set(self.problems), key=lambda d: (d.path, d.line, d.message))
        out.append(f"not converted: {len(shown)}" if shown else "not converted: nothing")
        out += [f"  {d.format()}" for d in shown]
        return out
