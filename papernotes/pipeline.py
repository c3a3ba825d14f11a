"""The build, start to end, as one readable function: read -> model -> render -> pages -> write.

`Builder` keeps caches between builds (the dev server reuses one): Markdown
results by content hash (memory and disk), KaTeX renders (disk), and what each
page depends on, so a rebuild after one saved note renders only the pages that
read that note, and writes only files whose bytes changed.
"""
from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .config import CONFIG_NAME, SiteConfig, load_config
from .content import Content, load_content
from .diagnostics import Diagnostic, Diagnostics
from .export import bibtex_entry, bibtex_keys
from .model.link import link_documents, section_texts
from .model.merge import merge_records
from .model.topics import classify, topic_set
from .render.documents import DocumentRenderer
from .render.katex import KatexRenderer, KatexUnavailable
from .render.markdown import excerpt_html
from .render.math import fill_math
from .render.text import text_with_math
from .site.blog import blog_pages
from .site.links import add_paper_links
from .site.paper_pages import paper_pages
from .site.people_pages import author_pages
from .site.research import Research
from .site.special import feed_files, search_page
from .site.urls import Urls
from .site.venue_topic_pages import topic_pages, venue_pages
from .site.views import document_view
from .search_index import run_pagefind
from .write import SiteWriter

CACHE_DIR = ".papernotes-cache"


@dataclass
class BuildOptions:
    project: Path  # holds templates/, static/, node_modules/
    source: Path  # site_src/
    output: Path
    base_url: str | None = None  # overrides site.yaml
    dev: bool = False  # dev server: keep the last good page of a source with errors


@dataclass
class BuildReport:
    pages: int = 0
    seconds: float = 0.0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered_pages: int = 0  # pages whose template ran (all on a full build, few on an edit)
    node_processes: int = 0

    @property
    def errors(self) -> int:
        return sum(d.level == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.level == "warning" for d in self.diagnostics)

    def exit_code(self, strict: bool = False) -> int:
        return 1 if self.errors or (strict and self.warnings) else 0

    def summary(self) -> str:
        return (f"built {self.pages} pages ({self.rendered_pages} rendered, {len(self.written)} files written, "
                f"{len(self.removed)} removed) with {self.errors} errors and {self.warnings} warnings "
                f"in {self.seconds:.2f}s")


class Builder:
    def __init__(self, options: BuildOptions):
        self.options = options
        cache = options.project / CACHE_DIR
        self.documents = DocumentRenderer(options.source, cache / "markdown")
        self.writer = SiteWriter(options.project, options.output)
        self._katex: KatexRenderer | None = None
        self._signature: int | None = None  # shape of the model at the last build

    def close(self) -> None:
        if self._katex is not None:
            self._katex.close()
            self._katex = None

    def build(self, changed: set[Path] | None = None) -> BuildReport:
        """A full build (`changed=None`), or a rebuild after these files changed."""
        started = time.perf_counter()
        opts = self.options
        diags = Diagnostics()
        config, config_diags = load_config(opts.source)
        diags.extend(config_diags)
        if opts.base_url:
            config = config.with_base_url(opts.base_url)
        urls = Urls(config.base_url)

        content = load_content(config)  # read
        diags.extend(content.diagnostics)
        papers, merge_diags = merge_records(content.records, config.aliases)  # model
        diags.extend(merge_diags)
        topics = topic_set(config.topics, [t for d in content.documents for t in d.tags])
        notes_text: dict[str, str] = {}
        for doc in content.documents:
            notes_text.update(section_texts(doc.body))
        classify(papers, topics, notes_text)

        paper_html = {p.key: self._paper_math(p) for p in papers}  # render
        rendered = self._render(content, paper_html, diags)
        docs = self._document_views(content, rendered, urls)
        refs = link_documents(papers, {d.path for d in content.documents},
                              {path: r["body"].toc for path, r in rendered.items()})
        research = Research(papers, topics.by_slug(), refs, {d["source"]: d for d in docs},
                            {k: (v[0], v[2]) for k, v in paper_html.items()}, urls, config.papers_per_page,
                            render_item=self.writer.fragment("_paper_item.html", "p"))
        self._link_documents_to_papers(docs, research)
        keys = bibtex_keys(research.papers)

        stats = [{"label": label, "count": count, "href": urls.href(url)} for label, count, url in (
            ("篇笔记与文章", len(docs), urls.archive()), ("篇论文", len(papers), urls.papers_index()),
            ("位作者", len(research.by_author), urls.authors_index()),
            ("个主题", len({t for p in papers for t in p.topics}), urls.topics_index()))]
        pages = (blog_pages(docs, urls, stats)  # pages
                 + paper_pages(research, lambda p: bibtex_entry(p, keys[p.key]))
                 + author_pages(research) + venue_pages(research) + topic_pages(research) + [search_page(urls)])

        everything = self._needs_full_render(changed, papers, docs)
        changed_sources = self._changed_sources(changed)
        report = BuildReport(pages=len(pages))
        written = self.writer.write(  # write
            pages, urls, self._site_context(config, urls), diags,
            render=lambda page: everything or bool(page.deps & changed_sources) or "*" in page.deps,
            extra_files={**feed_files(config, urls, docs, pages), **self._document_assets(config, urls, rendered)},
            keep_failed=content.failed if opts.dev else set(), cname=config.cname)
        report.written, report.removed, report.rendered_pages = written.written, written.removed, written.rendered
        if everything or not opts.dev:  # the dev server re-indexes on full rebuilds only, to stay instant
            diags.extend(run_pagefind(opts.output))  # search: the last step, over the finished HTML
        report.node_processes = self._katex.processes_started if self._katex else 0
        report.diagnostics = sorted(diags, key=lambda d: (d.path, d.line, d.level, d.message))
        report.seconds = time.perf_counter() - started
        return report

    # -- what a rebuild must redo --------------------------------------------
    def _changed_sources(self, changed: set[Path] | None) -> set[str]:
        out = set()
        source = self.options.source.resolve()
        for path in changed or ():
            try:
                out.add(Path(path).resolve().relative_to(source).as_posix())
            except ValueError:
                continue
        return out

    def _needs_full_render(self, changed: set[Path] | None, papers, docs) -> bool:
        """Every page renders on a first build, a config or template change, or when the model's
        shape (papers, their topics and venues, the list of documents) moved."""
        signature = hash((
            tuple((p.key, p.title, p.venue, p.year, p.topics, p.authors, len(p.records)) for p in papers),
            tuple((d["source"], d["title"], d["date_iso"], tuple(t["name"] for t in d["tags"])) for d in docs)))
        previous, self._signature = self._signature, signature
        if changed is None or previous != signature:
            return True
        project = self.options.project.resolve()
        for path in changed:
            path = Path(path).resolve()
            if path.name == CONFIG_NAME or project / "templates" in path.parents:
                return True
        return False

    # -- render ---------------------------------------------------------------
    @staticmethod
    def _paper_math(paper) -> list:
        """[title html, title formulas, abstract html, abstract formulas, source path]: filled by _render."""
        first = paper.records[0].source if paper.records else None
        title, title_f = text_with_math(paper.title)
        abstract, abstract_f = text_with_math(paper.abstract or "", first.line if first else 1)
        return [title, title_f, abstract, abstract_f, first.path if first else ""]

    def _render(self, content: Content, paper_html: dict[str, list], diags: Diagnostics) -> dict[str, dict]:
        """Markdown on this core while KaTeX renders every formula in its node process on the other."""
        wanted = {(f.tex, f.display) for v in paper_html.values() for f in (*v[1], *v[3])}
        for doc in content.documents:
            wanted |= self.documents.formulas(doc)
        with ThreadPoolExecutor(max_workers=1) as pool:
            math_job = pool.submit(self._render_math, sorted(wanted))
            rendered = {}
            for doc in content.documents:
                body, excerpt = self.documents.render(doc, content.files[doc.path].digest)
                diags.extend(body.diagnostics)
                rendered[doc.path] = {"doc": doc, "body": body, "excerpt": excerpt}
            results, problem = math_job.result()
        if problem:
            diags.error("package.json", 0, f"cannot render math: {problem}; formulas are shown as TeX source")
        for path, r in rendered.items():
            r["html"], d = fill_math(r["body"].html, r["body"].formulas, results, path)
            diags.extend(d)
            r["excerpt_html"] = ""
            if r["excerpt"]:
                r["excerpt_html"] = excerpt_html(fill_math(r["excerpt"].html, r["excerpt"].formulas, results, path)[0])
        for v in paper_html.values():
            v[0], d = fill_math(v[0], v[1], results, v[4])
            diags.extend(d)
            v[2], d = fill_math(v[2], v[3], results, v[4])
            diags.extend(d)
        return rendered

    def _render_math(self, wanted: list) -> tuple[dict, str | None]:
        if not wanted:
            return {}, None
        try:
            if self._katex is None:
                self._katex = KatexRenderer(self.options.project, self.options.project / CACHE_DIR / "katex")
            return self._katex.render(wanted), None
        except KatexUnavailable as exc:
            return {}, str(exc)

    def _document_views(self, content: Content, rendered: dict[str, dict], urls: Urls) -> list[dict]:
        views = []
        for doc in content.documents:
            date = doc.date or content.fallback_dates.get(doc.path) or dt.datetime(1970, 1, 1)
            r = rendered[doc.path]
            views.append(document_view(doc, date, r["html"], r["excerpt_html"], urls))
        views.sort(key=lambda v: v["sort_key"], reverse=True)
        return views

    @staticmethod
    def _link_documents_to_papers(docs: list[dict], research: Research) -> None:
        """Each section of a note links to its paper page; the document lists the papers it covers."""
        per_doc: dict[str, list] = {}
        for paper in research.papers:
            for ref in research.notes.get(paper.key, ()):
                per_doc.setdefault(ref.doc_path, []).append((paper, ref))
        for doc in docs:
            pairs = per_doc.get(doc["source"], [])
            targets = {ref.anchor: (research.urls.href(research.paper_url(p)), p.title) for p, ref in pairs if ref.anchor}
            doc["html"] = Markup(add_paper_links(str(doc["html"]), targets))
            doc["papers"] = [research.summary(p) for p, _ in sorted(pairs, key=lambda pr: pr[0].key)]
            doc["deps"] = sorted({r.source.path for p, _ in pairs for r in p.records})

    # -- write ----------------------------------------------------------------
    def _site_context(self, config: SiteConfig, urls: Urls) -> dict:
        nav = [("笔记", urls.notes_index(), "notes"), ("文章", urls.posts_index(), "posts"),
               ("论文", urls.papers_index(), "papers"), ("作者", urls.authors_index(), "authors"),
               ("会议", urls.venues_index(), "venues"), ("主题", urls.topics_index(), "topics"),
               ("归档", urls.archive(), "archive")]
        return {
            "title": config.title, "description": config.description, "language": config.language,
            "author": config.author, "home_href": urls.href(urls.home()),
            "nav": [{"label": label, "href": urls.href(url), "section": section} for label, url, section in nav],
            "stylesheets": [urls.href(urls.static("katex/katex.min.css")), urls.href(urls.static("pygments.css")),
                            urls.href(urls.static("style.css"))],
            "feed_href": urls.href(urls.feed()), "search_href": urls.href(urls.search()),
            "favicon_href": urls.href(urls.static("favicon.svg")),
            "copy_js_href": urls.href(urls.static("copy.js")),
            "extra": dict(config.extra),
        }

    def _document_assets(self, config: SiteConfig, urls: Urls, rendered: dict) -> dict[str, Path]:
        """Relative images, copied next to the page that shows them."""
        assets: dict[str, Path] = {}
        for path, r in rendered.items():
            doc_url = urls.document(r["doc"].kind, r["doc"].slug)
            for image in r["body"].images:
                if image.exists:
                    assets[doc_url + image.src] = (self.options.source / path).parent / image.src
        return assets
