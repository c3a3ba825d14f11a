"""The build, start to end, as one readable function: read -> model -> render -> pages -> write.

`Builder` keeps caches between builds (the dev server reuses one): Markdown
results by content hash (memory and disk), KaTeX renders (disk), and what each
page depends on, so a rebuild after one saved note renders only the pages that
read that note, and writes only files whose bytes changed.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .build_state import code_digest, forget_state, load_state, save_state
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
from .site.blog import ENTRY_FIELDS, blog_pages
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
    search: bool = True  # build the Pagefind index (the slowest step on very large sites)


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
        self._signature: str | None = None  # shape of the model at the last build
        self._code_key: str | None = None  # digest of our code and templates
        self._first_build = True
        # Caches kept between builds (the dev server's rebuilds), each keyed by its inputs.
        self._files: dict = {}  # path -> stat, what was read
        self._merged: dict = {}  # paper key -> records, merged paper
        self._topics: dict = {}  # paper key -> text, topics
        self._sections: dict = {}  # (path, digest) -> paper key -> section text
        self._paper_html: dict = {}  # paper key -> inputs, (title html, abstract html, diagnostics)
        self._doc_html: dict = {}  # (path, digest) -> filled body html, excerpt html, diagnostics
        self._items: dict = {}  # paper list items, rendered once
        self._views: dict = {}  # document path -> its view for templates
        self._entries: dict = {}  # document path -> its rendered list item
        self._bibkeys: tuple = (None, {})
        self._summaries: tuple = (None, {})  # paper summaries, valid while the model's shape stays

    def close(self) -> None:
        if self._katex is not None:
            self._katex.close()
            self._katex = None

    def build(self, changed: set[Path] | None = None) -> BuildReport:
        """A full build (`changed=None`), or a rebuild after these files changed."""
        started = time.perf_counter()
        opts = self.options
        diags = Diagnostics()
        node_before = self._katex.processes_started if self._katex else 0
        templates_changed = self._changed_templates(changed)
        if templates_changed:  # list items rendered by the old templates must not be reused
            self._items.clear()
            self._entries.clear()
        config, content, papers, topics = self.read_model(diags)  # read, model
        urls = Urls(config.base_url)
        digests = {path: f.digest for path, f in content.files.items()}
        if templates_changed or self._code_key is None:
            self._code_key = code_digest(opts.project)
        state_key = hashlib.sha256((self._code_key + repr(config)).encode()).hexdigest()
        if changed is None and self._signature is None:
            changed = self._changes_since_saved_state(state_key, digests)

        rendered, paper_html = self._render(content, papers, diags)  # render
        docs = self._document_views(content, rendered, urls)
        refs = link_documents(papers, {d.path for d in content.documents},
                              {path: r["body"].toc for path, r in rendered.items()})
        signature = self._model_signature(papers, docs, refs)
        if self._summaries[0] != (signature, config):
            self._summaries = ((signature, config), {})
        research = Research(papers, topics.by_slug(), refs, {d["source"]: d for d in docs}, paper_html, urls,
                            config.papers_per_page, render_item=self.writer.fragment("_paper_item.html", "p"),
                            item_cache=self._items, summaries=self._summaries[1])
        self._link_documents_to_papers(docs, research)
        if self._bibkeys[0] != signature:
            self._bibkeys = (signature, bibtex_keys(research.papers))
        keys = self._bibkeys[1]

        stats = [{"label": label, "count": count, "href": urls.href(url)} for label, count, url in (
            ("篇笔记与文章", len(docs), urls.archive()), ("篇论文", len(papers), urls.papers_index()),
            ("位作者", len(research.by_author), urls.authors_index()),
            ("个主题", len({t for p in papers for t in p.topics}), urls.topics_index()))]
        pages = (blog_pages(docs, urls, stats)  # pages
                 + paper_pages(research, lambda p: bibtex_entry(p, keys[p.key]))
                 + author_pages(research) + venue_pages(research) + topic_pages(research) + [search_page(urls)])

        everything = self._needs_full_render(changed, signature, templates_changed)
        changed_sources = self._changed_sources(changed)
        report = BuildReport(pages=len(pages))
        written = self.writer.write(  # write
            pages, urls, self._site_context(config, urls), diags,
            render=lambda page: (everything or page.template in templates_changed or bool(page.deps & changed_sources)
                                 or "*" in page.deps),
            first=changed_sources,
            extra_files={**self._feed_files(config, urls, docs, pages), **self._document_assets(config, urls, rendered)},
            keep_failed=content.failed if opts.dev else set(), cname=config.cname)
        report.written, report.removed, report.rendered_pages = written.written, written.removed, written.rendered
        first_build, self._first_build = self._first_build, False
        if opts.search and (everything or first_build or not opts.dev):  # dev: re-index only on full rebuilds
            diags.extend(run_pagefind(opts.output, urls.searchable_folders()))  # search: the last step, over the finished HTML
        report.node_processes = (self._katex.processes_started if self._katex else 0) - node_before
        cache = opts.project / CACHE_DIR
        if any(d.level == "error" for d in diags):
            forget_state(cache, opts.output)  # a build with errors may have written fallbacks: redo it all next time
        else:
            save_state(cache, opts.output, state_key, signature, digests)
        report.diagnostics = sorted(diags, key=lambda d: (d.path, d.line, d.level, d.message))
        report.seconds = time.perf_counter() - started
        if opts.dev:
            # The caches are long-lived: move them out of the cyclic GC's way, so collections during
            # the next rebuild scan only what that rebuild allocates (~30% faster edits at 1,000 notes).
            gc.collect()
            gc.freeze()
        return report

    def read_model(self, diags: Diagnostics):
        """site_src/ -> (config, content, merged papers with topics, topic set): what `export` needs too."""
        config, config_diags = load_config(self.options.source)
        diags.extend(config_diags)
        if self.options.base_url:
            config = config.with_base_url(self.options.base_url)
        content = load_content(config, self._files, keep_last_good=self.options.dev)
        diags.extend(content.diagnostics)
        papers, merge_diags = merge_records(content.records, config.aliases, self._merged)
        diags.extend(merge_diags)
        topics = topic_set(config.topics, [t for d in content.documents for t in d.tags])
        notes_text: dict[str, str] = {}
        for doc in content.documents:
            key = (doc.path, content.files[doc.path].digest)
            if key not in self._sections:
                self._sections[key] = section_texts(doc.body)
            notes_text.update(self._sections[key])
        classify(papers, topics, notes_text, self._topics)
        return config, content, papers, topics

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

    @staticmethod
    def _model_signature(papers, docs, refs) -> str:
        """The shape of the model: what any list of papers or documents shows. Pages that only list
        things depend on this alone; a page about one thing also depends on its own sources.
        A stable digest (not hash()), so it can be compared with the last build of another process."""
        return hashlib.sha256(repr((
            tuple((p.key, p.title, p.title_zh, p.venue, p.year, p.topics, p.authors, p.authors_truncated,
                   len(p.records), p.key in refs) for p in papers),
            tuple((d["source"], d["title"], d["date_iso"], tuple(t["name"] for t in d["tags"])) for d in docs))).encode()
        ).hexdigest()

    def _changes_since_saved_state(self, key: str, digests: dict[str, str]) -> set[Path] | None:
        """A new process's first build: the files that differ from the last good build's, or None (full)."""
        state = load_state(self.options.project / CACHE_DIR, self.options.output, key)
        if state is None:
            return None
        self._signature = state["signature"]
        before = state["digests"]
        return {self.options.source / path for path in set(before) | set(digests) if before.get(path) != digests.get(path)}

    def _changed_templates(self, changed: set[Path] | None) -> set[str]:
        """Names of the templates among the changed files ('paper.html', '_papers.html')."""
        templates = (self.options.project / "templates").resolve()
        names = set()
        for path in changed or ():
            path = Path(path).resolve()
            if templates in path.parents:
                names.add(path.relative_to(templates).as_posix())
        return names

    def _needs_full_render(self, changed: set[Path] | None, signature: str, templates: set[str]) -> bool:
        """Every page renders on a first build, a config change, a change of a template that other
        templates use (base.html, _partials), or when the model's shape moved. A page template
        (paper.html) that changes re-renders only the pages drawn with it."""
        previous, self._signature = self._signature, signature
        if changed is None or previous != signature:
            return True
        if any(name == "base.html" or name.rsplit("/", 1)[-1].startswith("_") for name in templates):
            return True
        return any(Path(path).name == CONFIG_NAME for path in changed)

    # -- render ---------------------------------------------------------------
    def _render(self, content: Content, papers, diags: Diagnostics) -> tuple[dict[str, dict], dict]:
        """Documents and paper titles/abstracts to HTML with math; only what changed since the last build.

        Markdown runs on this core while KaTeX renders the formulas in its node process on the other.
        """
        todo_docs = [d for d in content.documents if (d.path, content.files[d.path].digest) not in self._doc_html]
        todo_papers = {}
        for paper in papers:
            first = paper.records[0].source if paper.records else None
            inputs = (paper.title, paper.abstract, first)
            hit = self._paper_html.get(paper.key)
            if hit is None or hit[0] != inputs:
                title, title_f = text_with_math(paper.title)
                abstract, abstract_f = text_with_math(paper.abstract or "", first.line if first else 1)
                todo_papers[paper.key] = (inputs, title, title_f, abstract, abstract_f, first.path if first else "")
        wanted = {(f.tex, f.display) for v in todo_papers.values() for f in (*v[2], *v[4])}
        for doc in todo_docs:
            wanted |= self.documents.formulas(doc)
        with ThreadPoolExecutor(max_workers=1) as pool:
            math_job = pool.submit(self._render_math, sorted(wanted))
            markdown = {d.path: self.documents.render(d, content.files[d.path].digest) for d in todo_docs}
            results, problem = math_job.result()
        if problem:
            diags.error("package.json", 0, f"cannot render math: {problem}; formulas are shown as TeX source")

        for doc in todo_docs:
            body, excerpt = markdown[doc.path]
            html, d = fill_math(body.html, body.formulas, results, doc.path)
            html = Markup(html)  # our renderer's output from the author's Markdown; wrapped once (it is large)
            short = excerpt_html(fill_math(excerpt.html, excerpt.formulas, results, doc.path)[0]) if excerpt else ""
            if not problem:  # never cache the TeX-source fallback
                self._doc_html = {k: v for k, v in self._doc_html.items() if k[0] != doc.path}
                self._doc_html[(doc.path, content.files[doc.path].digest)] = (body, excerpt, html, short, [*body.diagnostics, *d])
            else:
                markdown[doc.path] = (body, excerpt, html, short, [*body.diagnostics, *d])
        rendered = {}
        for doc in content.documents:
            body, excerpt, html, short, doc_diags = (markdown.get(doc.path) if problem and doc.path in markdown
                                                     else self._doc_html[(doc.path, content.files[doc.path].digest)])
            diags.extend(doc_diags)
            rendered[doc.path] = {"doc": doc, "body": body, "excerpt": excerpt, "html": html, "excerpt_html": short}

        paper_html = {}
        for paper in papers:
            todo = todo_papers.get(paper.key)
            if todo is not None:
                inputs, title, title_f, abstract, abstract_f, path = todo
                title, d1 = fill_math(title, title_f, results, path)
                abstract, d2 = fill_math(abstract, abstract_f, results, path)
                if not problem:
                    self._paper_html[paper.key] = (inputs, title, abstract, [*d1, *d2])
                else:
                    paper_html[paper.key] = (title, abstract)
                    diags.extend([*d1, *d2])
                    continue
            _, title, abstract, paper_diags = self._paper_html[paper.key]
            diags.extend(paper_diags)
            paper_html[paper.key] = (title, abstract)
        return rendered, paper_html

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
            key = (doc, date, r["html"], r["excerpt_html"], urls.base_url)
            hit = self._views.get(doc.path)
            if hit is None or hit[0] != key:
                hit = self._views[doc.path] = (key, document_view(doc, date, r["html"], r["excerpt_html"], urls))
            view = dict(hit[1])  # a copy: linking to papers fills it in
            shown = tuple((k, str(view[k])) for k in ENTRY_FIELDS if k != "tags") + tuple(t["name"] for t in view["tags"])
            item = self._entries.get(doc.path)
            if item is None or item[0] != shown:
                item = self._entries[doc.path] = (shown, Markup(self.writer.fragment("_entry_item.html", "e")(view)))
            view["entry_html"] = item[1]
            views.append(view)
        views.sort(key=lambda v: v["sort_key"], reverse=True)
        return views

    def _link_documents_to_papers(self, docs: list[dict], research: Research) -> None:
        """Each section of a note links to its paper page; the document lists the papers it covers."""
        per_doc: dict[str, list] = {}
        for paper in research.papers:
            for ref in research.notes.get(paper.key, ()):
                per_doc.setdefault(ref.doc_path, []).append((paper, ref))
        for doc in docs:
            pairs = per_doc.get(doc["source"], [])
            targets = {ref.anchor: (research.urls.href(research.paper_url(p)), p.title) for p, ref in pairs if ref.anchor}
            doc["paper_links"] = targets  # added to the HTML when the page renders (one copy of big HTML, not two)
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

    def _feed_files(self, config: SiteConfig, urls: Urls, docs: list[dict], pages) -> dict[str, bytes]:
        """Feed, sitemap and robots.txt: remade only when the documents or the set of pages moved."""
        key = (config, tuple(p.url for p in pages),
               tuple((d["url"], d["title"], d["date_iso"], str(d["excerpt_html"])) for d in docs))
        if getattr(self, "_feeds", (None,))[0] != key:
            self._feeds = (key, feed_files(config, urls, docs, pages))
        return self._feeds[1]

    def _document_assets(self, config: SiteConfig, urls: Urls, rendered: dict) -> dict[str, Path]:
        """Relative images, copied next to the page that shows them."""
        assets: dict[str, Path] = {}
        for path, r in rendered.items():
            doc_url = urls.document(r["doc"].kind, r["doc"].slug)
            for image in r["body"].images:
                if image.exists:
                    assets[doc_url + image.src] = (self.options.source / path).parent / image.src
        return assets
