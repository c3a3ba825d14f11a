"""The build, start to end: read -> model -> render -> pages -> write (-> search).

`Builder.build()` is the whole pipeline, one stage per line. What is rebuilt is
decided in one place: every page has a fingerprint (site/graph.py), and the
writer renders exactly the pages whose fingerprint differs from the one their
file was written with. The dev server keeps one Builder (its memos and the
fingerprints in memory); a new process reads the fingerprints of the last good
build from the state file. Every other cache is a memo keyed by its full inputs.

Nothing is trusted past a write: before the first write to output/ the fingerprints
are dropped (in memory and on disk); they come back only when the writer has
finished. A source folder that is missing is refused before output/ is touched:
an empty site must never replace the real one.
"""

from __future__ import annotations

import gc
import hashlib
import operator
import os
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .build_state import (
    code_digest,
    forget_state,
    inputs_stamp,
    load_noop,
    load_state,
    output_lock,
    save_noop,
    save_state,
    sweep_leftovers,
)
from .config import CONFIG_NAME, SiteConfig, load_config
from .content import git_head, load_content
from .diagnostics import Diagnostic, Diagnostics, error
from .export import bibtex_entry, bibtex_keys
from .heap import frozen, give_back
from .memo import Memo, StoredMemo
from .model.link import section_texts
from .model.merge import merge_records
from .model.topics import classify, topic_set
from .output import MANIFEST
from .render.batch import RenderBatch
from .search_index import IndexJob
from .site.assemble import Same, assemble
from .site.assets import document_images, site_files, static_assets
from .site.blog import listed
from .site.dates import document_dates
from .site.page import same_in
from .site.permalinks import post_pattern
from .site.special import feed_files, site_context
from .site.urls import Urls
from .site.views import CitationTargets, link_targets
from .stages import Stages
from .theme import katex_root, static_dirs, template_dirs
from .write import SiteWriter

CACHE_DIR = ".papernotes-cache"
CONTENT_FOLDERS = ("posts_dir", "notes_dir", "papers_dir")  # the site.yaml keys naming content folders


def source_problems(source: Path, config: SiteConfig | None = None) -> list[Diagnostic]:
    """Why `source` cannot be built at all (errors), or []: it is not a folder; a content folder site.yaml
    names other than its default is missing; or it holds none of the content folders (not a site's source,
    e.g. a `--source` that names the wrong folder). A default folder that is missing is an empty section."""
    if not source.is_dir():
        what = "is a file, not a folder" if source.exists() else "does not exist"
        return [error(str(source), 0, f"the source folder {what}; nothing was built (check --source)")]
    config = config or load_config(source)[0]
    problems, found = [], 0
    for key in CONTENT_FOLDERS:
        name = getattr(config, key)
        folder = source / name
        if folder.is_dir():
            found += 1
        elif folder.exists() or name != getattr(SiteConfig, key):
            what = "is not a folder" if folder.exists() else "does not exist"
            line = _line_of(source / CONFIG_NAME, key)
            problems.append(error(CONFIG_NAME, line, f"{key}: {name!r} ({folder}) {what}; nothing was built"))
    if not problems and not found:
        names = ", ".join(f"{getattr(config, key)}/" for key in CONTENT_FOLDERS)
        problems.append(
            error(str(source), 0, f"the source folder holds none of {names}; nothing was built (check --source)")
        )
    return problems


def _line_of(config_file: Path, key: str) -> int:
    try:
        lines = config_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 1
    return next((n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:")), 1)


@dataclass
class BuildOptions:
    project: Path  # holds templates/, static/, node_modules/
    source: Path  # site_src/
    output: Path
    base_url: str | None = None  # overrides site.yaml
    dev: bool = False  # dev server: keep the last good page of a source with errors
    search: bool = True  # build the Pagefind index (the slowest step on very large sites)
    drafts: bool = False  # publish drafts too (`draft: true`, posts in _drafts/)
    cache: Path | None = None  # default: <project>/.papernotes-cache


@dataclass
class BuildReport:
    pages: int = 0
    seconds: float = 0.0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered_pages: int = 0  # pages whose template ran (all on a clean build, few on an edit)
    rendered: list[str] = field(default_factory=list)  # their output paths
    node_processes: int = 0
    sources: int = 0  # content files read (0: an empty site, which deploy refuses to publish)
    refused: bool = False  # the source folder could not be built: output/ was not touched

    @property
    def errors(self) -> int:
        return sum(d.level == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.level == "warning" for d in self.diagnostics)

    def exit_code(self, strict: bool = False) -> int:
        return 1 if self.errors or (strict and self.warnings) else 0

    def summary(self) -> str:
        return (
            f"built {self.pages} pages ({self.rendered_pages} rendered, {len(self.written)} files written, "
            f"{len(self.removed)} removed) with {self.errors} errors and {self.warnings} warnings "
            f"in {self.seconds:.2f}s"
        )


class Builder:
    def __init__(self, options: BuildOptions):
        self.options = options
        self.cache = options.cache or options.project / CACHE_DIR
        self.katex = katex_root(options.project)  # the site's node_modules/katex, else the tool's own
        self.code = code_digest(self.katex)
        # Values kept between processes (what files read as, rendered documents' headings and images,
        # papers' HTML, topics), in one file per code version.
        self.stored = StoredMemo(self.cache / f"memo-{self.code[:16]}.pickle")
        self.renderer = RenderBatch(self.katex, options.source, self.cache, self.stored)
        self.writer = self._new_writer()
        self.memo = Memo(limit=400_000)  # per item: paper summaries, document views, note sections
        self.whole = Memo(limit=16)  # per collection: slugs, order, the index, page lists, BibTeX keys, feeds
        self.files: dict = {}  # what was read: path -> (stat, result)
        self.merged: dict = {}  # merge memo: paper key -> (records, paper)
        self.topic_memo: dict = {}  # paper key -> (text, topics)
        self.fingerprints: dict[str, str] | None = None  # output path -> fingerprint, after the last build
        self._index_trusted = False
        self._last_merge: tuple | None = None
        self._last_listed: tuple | None = None  # (each page's (URL, template), their digest) of the last build
        self._lease: str | None = None  # the output lock's lease of this builder's last build
        self.stages = Stages()  # a command gives it a listener to show progress (commands/progress.py)

    def close(self) -> None:
        self.renderer.close()
        if self.options.dev:
            self._save_stored(evict=False)

    def build(self, changed: set[Path] | None = None) -> BuildReport:
        """Build the site; `changed` (files saved since the last build) only orders the writing."""
        started, opts, diags = time.perf_counter(), self.options, Diagnostics()
        nodes_before = self.renderer.node_processes()
        config, config_diags = load_config(opts.source)
        missing = source_problems(opts.source, config)
        if missing:  # output/ is not touched: not created, not pruned
            report = BuildReport(diagnostics=[*missing, *config_diags], refused=True)
            report.seconds = time.perf_counter() - started
            return report
        stamp = self._stamp() if not opts.dev else None
        if stamp and self.fingerprints is None and (same := self._unchanged(stamp)):
            same.seconds = time.perf_counter() - started
            return same
        config, content, papers, topics = self.read_model(diags, (config, config_diags))  # read, model
        dates = document_dates(config, content.documents, content.fallback_dates)
        urls = Urls.for_documents(config.base_url, content.documents, config.pages_dir, post_pattern(config, dates))
        digests = {path: f.digest for path, f in content.files.items()}
        docs, paper_html = self._render(config, content, papers, urls, digests, diags)  # render
        self.writer.begin()
        html_of = partial(self._html_of, digests, docs)
        with self.stages("pages") as stage:
            graph, pages, entries, search = self._pages(
                config, content, dates, papers, topics, docs, paper_html, html_of, urls
            )
            assets = self._assets(config, content, docs, urls, graph, pages, entries, diags)
            stage.detail = f"{len(pages):,} pages, {len(assets):,} other files"
        self._give_back()
        # one build at a time writes output/; outside dev, the collector skips the model and the pages
        with frozen(not opts.dev), output_lock(self.cache, opts.output) as lease:
            if lease.previous != self._lease:  # another process wrote output/ since: trust only what is there
                self._forget_output()
            self._lease = lease.mine
            previous = self._previous_fingerprints()
            self.fingerprints = None  # not trusted again until this build's writes are complete
            forget_state(self.cache, opts.output)  # a build killed while writing must not leave a state behind
            keep, first = content.failed if opts.dev else set(), self._site_paths(changed)
            index = self._index_job(search, config, changed)  # Pagefind works while the pages are written
            with self.stages("write") as stage:
                written = self.writer.write(
                    pages, graph, urls, site_context(config, urls, graph), diags, previous, assets, keep, first
                )
                stage.detail = f"{written.rendered:,} pages rendered, {len(written.written):,} files written"
            self.fingerprints = written.fingerprints
            self._finish(index, written, (len(pages), len(content.files)), diags, stamp, lease.mine)  # search, state
        report = BuildReport(len(pages), 0.0, sorted(diags, key=lambda d: (d.path, d.line, d.level, d.message)))
        report.written, report.removed, report.rendered = written.written, written.removed, written.rendered_paths
        report.rendered_pages, report.sources = written.rendered, len(content.files)
        report.node_processes = self.renderer.node_processes() - nodes_before
        report.seconds = time.perf_counter() - started
        if opts.dev:
            # The memos are long-lived: move them out of the cyclic GC's way, so collections during
            # the next rebuild scan only what that rebuild allocates.
            gc.collect()
            gc.freeze()
            give_back()
        return report

    def _finish(self, index: IndexJob | None, written, counts: tuple, diags: Diagnostics, stamp, lease) -> None:
        """After the writes: wait for the search index, then save what the next build may trust."""
        opts = self.options
        if index is not None:
            with self.stages("index") as stage:
                found = index.finish()
                stage.detail = "rebuilt" if index.changed else "unchanged"
            self._index_trusted = not any(d.level == "error" for d in found)
            diags.extend(found)
        if not opts.dev:  # the dev server saves it when it stops
            self._save_stored(evict=True)
        if not diags.errors:
            save_state(self.cache, opts.output, self.code, written.fingerprints, opts.search and self._index_trusted)
            if stamp and (self._index_trusted or not opts.search):
                save_noop(self.cache, opts.output, stamp, lease, counts, diags.items)

    def _stamp(self) -> str:
        """What a build reads, by stat (build_state.inputs_stamp): the source, the theme, the options."""
        opts = self.options
        folders = [opts.source, *template_dirs(opts.project), *static_dirs(opts.project)]
        zone = f"{os.environ.get('TZ')}\0{time.tzname}"
        extra = [repr((opts.base_url, opts.search, opts.drafts, str(opts.output.resolve()))), zone]
        return inputs_stamp(self.code, folders, [*extra, git_head(opts.source) or ""], [opts.output, self.cache])

    def _unchanged(self, stamp: str) -> BuildReport | None:
        """The report of the last build when nothing it read has changed and output/ is as it left it."""
        opts = self.options
        with output_lock(self.cache, opts.output) as lease:
            last = load_noop(self.cache, opts.output, stamp, lease, MANIFEST)
            if last is None:
                return None
            counts, diagnostics = last[0], [Diagnostic(*d) for d in last[1]]
            save_noop(self.cache, opts.output, stamp, lease.mine, counts, diagnostics)  # this build wrote last now
        return BuildReport(pages=counts[0], diagnostics=diagnostics, sources=counts[1])

    def _render(self, config, content, papers, urls, digests, diags):
        posts, citations = link_targets(content.documents, urls), CitationTargets(papers, urls)
        with self.stages("render") as stage:
            docs, paper_html = self.renderer.render(
                content.documents, digests, papers, diags, urls.base_path, config.math, posts, citations
            )
            stage.detail = f"{len(docs):,} documents, {len(paper_html):,} papers"
        if not self.options.dev:  # a later build of this process starts KaTeX again if a formula is new
            self.renderer.close()
        self._give_back()  # the Markdown trees and KaTeX replies
        return docs, paper_html

    def _new_writer(self) -> SiteWriter:
        """Only the dev server's writer keeps per page what its next write reuses."""
        return SiteWriter(template_dirs(self.options.project), self.options.output, rebuilds=self.options.dev)

    def _give_back(self) -> None:
        """Memory a stage freed goes back before the next stage; in dev, only after writing (not before the page)."""
        if not self.options.dev:
            give_back()

    def _forget_output(self) -> None:
        """Drop what this builder remembers of output/ (its fingerprints, the writer's list of files)."""
        if self._lease is not None:  # it has built before: a new writer reads the manifest and the disk
            self.writer = self._new_writer()
            self.writer.begin()
        self.fingerprints = None

    def _save_stored(self, evict: bool) -> None:
        self.stored.save(evict)
        try:
            for other in self.cache.glob("memo-*.pickle"):  # made by other versions of the code
                if other != self.stored.path:
                    other.unlink(missing_ok=True)
        except OSError:
            pass
        sweep_leftovers(self.cache)

    def _html_of(self, digests: dict, docs: dict, doc) -> object:
        return self.renderer.html(doc, digests[doc.path], docs[doc.path])

    def _pages(self, config, content, dates, papers, topics, docs, paper_html, html_of, urls):
        keys = self.whole.get(  # the very same papers (a note's prose edited) make the same keys
            ("bibkeys", Same(papers)),
            lambda: self.whole.get(("bibkeys", tuple((p.key, p.digest) for p in papers)), lambda: bibtex_keys(papers)),
        )
        graph, pages, entries, search = assemble(
            config, content, dates, papers, topics, docs, paper_html, html_of, urls,
            self.writer.fragment, (partial(bibtex_entry, abstract=False), keys), self.memo, self.whole,
        )  # fmt: skip
        return graph, pages, entries, search

    def _assets(self, config, content, docs, urls, graph, pages, entries, diags) -> dict:
        """Every file that is not a page: static/, stylesheets and fonts, images of notes, feeds, sitemap."""
        feeds_key = (
            "feeds\0"
            + hashlib.sha256(
                "\0".join([repr(config), repr(urls), graph.digest("docs"), self._listed_digest(pages)]).encode()
            ).hexdigest()
        )
        return {
            **static_assets(static_dirs(self.options.project), self.katex, urls, diags, config.cname),
            **site_files(self.options.source, content.site_files),
            **document_images(self.options.source, content.documents, docs, urls),
            **self.stored.get(feeds_key, lambda: feed_files(config, urls, listed(entries), pages)),
        }

    def _listed_digest(self, pages: list) -> str:
        """A digest of every page's URL and template (the sitemap lists them): the last one while they are."""
        last = self._last_listed
        if last and same_in(last[0], pages, 0, 1):  # (Page.url, Page.template)
            return last[1]
        digest = hashlib.sha256("\0".join(f"{page.url}\0{page.template}" for page in pages).encode()).hexdigest()
        self._last_listed = (list(pages), digest)
        return digest

    def read_model(self, diags: Diagnostics, loaded: tuple | None = None):
        """site_src/ -> (config, content, merged papers with topics, topic set): what `export` needs too.
        `loaded`: site.yaml as `load_config` read it, if the caller has."""
        config, config_diags = loaded or load_config(self.options.source)
        diags.extend(config_diags)
        if self.options.base_url:
            config = config.with_base_url(self.options.base_url)
        opts = self.options
        with self.stages("read") as stage:
            content = load_content(config, self.files, opts.dev, self.stored, opts.drafts)
            stage.detail = f"{len(content.files):,} files"
        diags.extend(content.diagnostics)
        with self.stages("merge") as stage:
            papers, merge_diags = self._merge(content.record_groups, config.aliases)
            diags.extend(merge_diags)
            topics = topic_set(config.topics, [t for d in content.documents for t in d.tags])
            notes_text: dict[str, str] = {}
            for doc in content.documents:
                key = f"sections\0{doc.path}\0{content.files[doc.path].digest}"
                notes_text.update(self.stored.get(key, lambda: section_texts(doc.body)))
            classify(papers, topics, notes_text, self.topic_memo, self.stored)
            stage.detail = f"{sum(map(len, content.record_groups)):,} records, {len(papers):,} papers"
        return config, content, papers, topics

    def _merge(self, groups: list[tuple], aliases: dict):
        """Merged papers; the last build's when every file gave the same records (a note's prose edited)."""
        last = self._last_merge
        if last and last[1] == aliases and len(last[0]) == len(groups) and all(map(operator.eq, last[0], groups)):
            return last[2], last[3]
        papers, diags = merge_records((r for group in groups for r in group), aliases, self.merged, self.stored)
        self._last_merge = (groups, dict(aliases), papers, diags)
        return papers, diags

    def _previous_fingerprints(self) -> dict[str, str]:
        """The fingerprints the files in output/ were written with: this builder's last build, else the
        state a good build in another process left (valid only for the same code)."""
        if self.fingerprints is None:
            state = load_state(self.cache, self.options.output, self.code)
            self.fingerprints, self._index_trusted = state if state else ({}, False)
        return self.fingerprints

    def _index_job(self, search, config: SiteConfig, changed) -> IndexJob | None:
        """The search index (the dev server: at start-up only; it is seconds of work on a large site)."""
        if not self.options.search or (self.options.dev and changed is not None):
            return None
        key = f"{self.code}\0{search.key()}"  # what the documents are made from, and by which code
        return IndexJob(self.options.output, key, search.make, config.language, work=self.cache)

    def _site_paths(self, changed: set[Path] | None) -> set[str]:
        out, source = set(), self.options.source.resolve()
        for path in changed or ():
            try:
                out.add(Path(path).resolve().relative_to(source).as_posix())
            except ValueError:
                continue
        return out


__all__ = ["Builder", "BuildOptions", "BuildReport", "SiteConfig"]
