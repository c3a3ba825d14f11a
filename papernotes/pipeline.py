"""The build, start to end, as one readable function: read -> model -> render -> pages -> write.

`Builder` keeps caches between builds (the dev server reuses one), so a rebuild
re-reads only changed files, re-renders only changed Markdown, asks KaTeX only
for formulas it has never seen, and writes only pages whose inputs changed.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig, load_config
from .content import Content, load_content
from .diagnostics import Diagnostic, Diagnostics, error
from markupsafe import Markup

from .export import bibtex_entry, bibtex_keys
from .model.link import link_documents, section_texts
from .model.merge import merge_records
from .model.topics import classify, topic_set
from .render.highlight import pygments_css
from .render.katex import KatexRenderer, KatexUnavailable, katex_assets, katex_css
from .render.markdown import MarkdownRenderer, RenderedMarkdown, excerpt_html
from .render.math import fill_math
from .render.text import text_with_math
from .site.blog import blog_pages
from .site.links import add_paper_links
from .site.feeds import atom_feed, robots_txt, sitemap_xml
from .site.page import Page
from .site.paper_pages import paper_pages
from .site.people_pages import author_pages
from .site.research import Research
from .site.venue_topic_pages import topic_pages, venue_pages
from .site.urls import Urls
from .site.views import document_view
from .write import WriteReport, check_collisions, copy_file_if_changed, make_environment, prune, read_manifest, write_if_changed

CACHE_DIR = ".papernotes-cache"


def search_page(urls: Urls) -> Page:
    return Page(urls.search(), "search.html", {
        "page": {"title": "搜索", "description": "全文搜索笔记、文章、论文与作者", "kind": "search", "url": urls.search()},
        "search": {"bundle_href": urls.href("pagefind/"), "query_param": "q",
                   "script_href": urls.href(urls.static("search.js")),
                   "stylesheet_href": urls.href(urls.static("search.css"))},
    }, frozenset(), "search")


def feed_files(config: SiteConfig, urls: Urls, docs: list[dict], pages: list[Page]) -> dict[str, bytes]:
    """atom.xml (posts and notes), sitemap.xml (every HTML page) and robots.txt."""
    entries = [{"title": d["title"], "url": urls.absolute(d["url"]), "published": d["date"], "updated": d["updated"],
                "summary_html": str(d["excerpt_html"]), "kind": d["kind"],
                "categories": [t["name"] for t in d["tags"]]} for d in docs]
    feed = atom_feed(title=config.title, subtitle=config.description, author=config.author,
                     site_url=urls.absolute(urls.home()), feed_url=urls.absolute(urls.feed()), entries=entries,
                     language=config.language)
    html_pages = [urls.absolute(p.url) for p in pages if urls.output_file(p.url).endswith(".html")
                  and p.url != urls.not_found()]
    return {urls.feed(): feed, urls.sitemap(): sitemap_xml(html_pages),
            "robots.txt": robots_txt(urls.absolute(urls.sitemap()))}


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
    rendered_pages: int = 0
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
        return (f"built {self.pages} pages ({len(self.written)} files written, {len(self.removed)} removed) "
                f"with {self.errors} errors and {self.warnings} warnings in {self.seconds:.2f}s")


class Builder:
    def __init__(self, options: BuildOptions):
        self.options = options
        self.markdown = MarkdownRenderer()
        self._md_cache: dict[tuple, RenderedMarkdown] = {}
        self._katex: KatexRenderer | None = None
        self._page_hashes: dict[str, int] = {}  # url -> hash of the context it was last rendered with

    def close(self) -> None:
        if self._katex is not None:
            self._katex.close()
            self._katex = None

    # -- the pipeline ----------------------------------------------------------
    def build(self) -> BuildReport:
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

        rendered = self._render_documents(content, diags)  # render
        paper_html = {p.key: self._paper_math(p) for p in papers}
        self._fill_math(rendered, paper_html, diags)
        docs = self._document_views(content, rendered, urls)

        refs = link_documents(papers, {d.path for d in content.documents},
                              {path: r["body"].toc for path, r in rendered.items()})
        research = Research(papers, topics.by_slug(), refs, {d["source"]: d for d in docs},
                            {k: (v[0], v[2]) for k, v in paper_html.items()}, urls, config.papers_per_page)
        self._link_documents_to_papers(docs, research)
        keys = bibtex_keys(research.papers)
        bibtex = {p.key: bibtex_entry(p, keys[p.key]) for p in research.papers}

        stats = [{"label": label, "count": count, "href": urls.href(url)} for label, count, url in (
            ("篇笔记与文章", len(docs), urls.archive()), ("篇论文", len(papers), urls.papers_index()),
            ("位作者", len(research.by_author), urls.authors_index()),
            ("个主题", len({t for p in papers for t in p.topics}), urls.topics_index()))]
        pages = (blog_pages(docs, urls, stats) + paper_pages(research, bibtex) + author_pages(research)
                 + venue_pages(research) + topic_pages(research) + [search_page(urls)])  # pages
        report = BuildReport(pages=len(pages))
        self._feeds = feed_files(config, urls, docs, pages)
        write = self._write(pages, config, urls, rendered, content, diags)  # write
        report.written, report.removed = write.written, write.removed
        report.rendered_pages = len(pages)
        report.node_processes = self._katex.processes_started if self._katex else 0
        report.diagnostics = sorted(diags, key=lambda d: (d.path, d.line, d.level, d.message))
        report.seconds = time.perf_counter() - started
        return report

    # -- render ---------------------------------------------------------------
    def _render_documents(self, content: Content, diags: Diagnostics) -> dict[str, dict]:
        out: dict[str, dict] = {}
        source = self.options.source
        for doc in content.documents:
            base = (source / doc.path).parent

            def image_exists(src: str, base=base) -> bool:
                target = (base / src).resolve()
                return source.resolve() in target.parents and target.is_file()

            digest = content.files[doc.path].digest
            key = (doc.path, digest)
            if key not in self._md_cache:
                body = self.markdown.render(doc.body, doc.path, doc.body_line, image_exists)
                excerpt = (self.markdown.render(doc.excerpt, doc.path, doc.body_line, image_exists)
                           if doc.excerpt is not None else None)
                self._md_cache[key] = (body, excerpt)
            body, excerpt = self._md_cache[key]
            diags.extend(body.diagnostics)
            out[doc.path] = {"doc": doc, "body": body, "excerpt": excerpt, "html": body.html,
                             "excerpt_html": excerpt.html if excerpt else ""}
        return out

    @staticmethod
    def _paper_math(paper) -> list:
        """[title html, title formulas, abstract html, abstract formulas, source path]: filled by _fill_math."""
        first = paper.records[0].source if paper.records else None
        title, title_f = text_with_math(paper.title)
        abstract, abstract_f = text_with_math(paper.abstract or "")
        return [title, title_f, abstract, abstract_f, first.path if first else ""]

    def _fill_math(self, rendered: dict[str, dict], paper_html: dict[str, list], diags: Diagnostics) -> bool:
        wanted = {(f.tex, f.display) for r in rendered.values()
                  for part in (r["body"], r["excerpt"]) if part for f in part.formulas}
        wanted |= {(f.tex, f.display) for v in paper_html.values() for f in (*v[1], *v[3])}
        results: dict = {}
        ok = True
        if wanted:
            try:
                if self._katex is None:
                    self._katex = KatexRenderer(self.options.project, self.options.project / CACHE_DIR / "katex")
                results = self._katex.render(sorted(wanted))
            except KatexUnavailable as exc:
                diags.error("package.json", 0, f"cannot render math: {exc}; formulas are shown as TeX source")
                ok = False
        for path, r in rendered.items():
            r["html"], d = fill_math(r["body"].html, r["body"].formulas, results, path)
            diags.extend(d)
            if r["excerpt"]:
                html, _ = fill_math(r["excerpt"].html, r["excerpt"].formulas, results, path)
                r["excerpt_html"] = excerpt_html(html)
        for v in paper_html.values():
            v[0], d = fill_math(v[0], v[1], results, v[4])
            diags.extend(d)
            v[2], d = fill_math(v[2], v[3], results, v[4])
            diags.extend(d)
        return ok

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

    def _document_views(self, content: Content, rendered: dict[str, dict], urls: Urls) -> list[dict]:
        views = []
        for doc in content.documents:
            date = doc.date or content.fallback_dates.get(doc.path) or dt.datetime(1970, 1, 1)
            r = rendered[doc.path]
            views.append(document_view(doc, date, r["html"], r["excerpt_html"], urls))
        views.sort(key=lambda v: v["sort_key"], reverse=True)
        return views

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

    def _write(self, pages: list[Page], config: SiteConfig, urls: Urls, rendered: dict, content: Content,
               diags: Diagnostics) -> WriteReport:
        opts = self.options
        output = opts.output
        output.mkdir(parents=True, exist_ok=True)
        env = make_environment(opts.project / "templates")
        site = self._site_context(config, urls)
        report = WriteReport()
        owners, collision_diags = check_collisions([(urls.output_file(p.url), p.origin) for p in pages])
        diags.extend(collision_diags)
        produced: set[str] = set()
        for page in pages:
            rel = urls.output_file(page.url)
            if owners.get(rel) != page.origin:
                continue
            produced.add(rel)
            if opts.dev and page.origin in content.failed and (output / rel).exists():
                continue  # keep the last good page while its source is broken
            context = dict(page.context)
            context["site"] = site
            context["page"] = {"breadcrumbs": [], "section": page.url.split("/", 1)[0], **context["page"],
                               "canonical": urls.absolute(page.url)}
            try:
                html = env.get_template(page.template).render(**context)
            except Exception as exc:  # a template bug must name the page, not kill the build
                diags.error(f"templates/{page.template}", getattr(exc, "lineno", 0) or 0,
                            f"rendering {page.url or '/'}: {type(exc).__name__}: {exc}")
                continue
            write_if_changed(output, rel, html.encode("utf-8"), report)

        assets = self._assets(config, rendered, diags)
        for rel, src in sorted(assets.items()):
            produced.add(rel)
            if isinstance(src, bytes):
                write_if_changed(output, rel, src, report)
            else:
                copy_file_if_changed(output, rel, src, report)
        prune(output, produced, report, read_manifest(output))
        return report

    def _assets(self, config: SiteConfig, rendered: dict, diags: Diagnostics) -> dict[str, Path | bytes]:
        opts = self.options
        urls = Urls(config.base_url)
        assets: dict[str, Path | bytes] = {}
        static = opts.project / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file():
                    assets[urls.static(path.relative_to(static).as_posix())] = path
        assets[urls.static("pygments.css")] = pygments_css().encode("utf-8")
        try:
            for src, rel in katex_assets(opts.project):
                assets[rel] = src
            assets[urls.static("katex/katex.min.css")] = katex_css(opts.project).encode("utf-8")
        except KatexUnavailable as exc:
            diags.error("package.json", 0, f"KaTeX stylesheet and fonts not copied: {exc}")
        # Relative images next to the page that shows them.
        for path, r in rendered.items():
            doc_url = urls.document(r["doc"].kind, r["doc"].slug)
            for image in r["body"].images:
                if image.exists:
                    assets[doc_url + image.src] = (opts.source / path).parent / image.src
        assets[".nojekyll"] = b""
        assets.update(self._feeds)
        if config.cname:
            assets["CNAME"] = (config.cname + "\n").encode("utf-8")
        return assets
