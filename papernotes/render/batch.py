"""The rendering batch: every document and every scraped title/abstract to HTML with math.

Markdown runs on this core while KaTeX renders the formulas in its node process
on the other. Results are memos keyed by a digest of their full inputs (the
document's render key covers its text, path, renderer code, Markdown and
Pygments versions and which images exist; a paper's covers its text and where
it came from; both add the KaTeX version), and each result carries that digest
so the pages made from it can be fingerprinted without hashing the HTML.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..diagnostics import Diagnostic, Diagnostics
from ..memo import Memo
from ..model.paper import Paper
from ..sources.documents import Document
from .documents import DocumentRenderer
from .katex import KatexRenderer, KatexUnavailable
from .markdown import ImageRef, RenderedMarkdown, TocEntry, excerpt_html
from .math import fill_math
from .text import text_with_math


@dataclass(frozen=True)
class RenderedDocument:
    html: Markup  # math filled in
    excerpt_html: str  # before <!--more-->, for lists ("" without a marker)
    toc: list[TocEntry]
    images: list[ImageRef]
    diagnostics: list[Diagnostic]
    digest: str  # of everything the HTML was made from


@dataclass(frozen=True)
class RenderedPaper:
    title_html: str
    abstract_html: str
    diagnostics: list[Diagnostic]
    digest: str


class RenderBatch:
    """Keeps the KaTeX worker and the memos between builds (the dev server reuses one)."""

    def __init__(self, project: Path, source: Path, cache_dir: Path):
        self.project = project
        self.cache_dir = cache_dir
        self.documents = DocumentRenderer(source, cache_dir / "markdown")
        self._katex: KatexRenderer | None = None
        self._memo = Memo(limit=50_000)
        self.processes_started = 0

    def close(self) -> None:
        if self._katex is not None:
            self.processes_started += self._katex.processes_started
            self._katex.close()
            self._katex = None

    def node_processes(self) -> int:
        return self.processes_started + (self._katex.processes_started if self._katex else 0)

    def render(
        self, documents: list[Document], digests: dict[str, str], papers: list[Paper], diags: Diagnostics
    ) -> tuple[dict[str, RenderedDocument], dict[str, RenderedPaper]]:
        """`digests`: document path -> digest of its file."""
        version = self._katex_version()
        doc_keys = {
            d.path: hashlib.sha256(f"{self.documents.key(d, digests[d.path])}\0{version}".encode()).hexdigest()
            for d in documents
        }
        paper_keys = {p.key: _paper_key(p, version) for p in papers}
        done_docs = {
            d.path: hit
            for d in documents
            if (hit := self._memo.peek(doc_keys[d.path])) is not None and self.documents.images_unchanged(d, hit.images)
        }
        done_papers = {k: hit for k, key in paper_keys.items() if (hit := self._memo.peek(key)) is not None}
        todo_docs = [d for d in documents if d.path not in done_docs]
        todo_papers = {}
        for paper in papers:
            if paper.key not in done_papers:
                first = paper.records[0].source if paper.records else None
                title, title_f = text_with_math(paper.title)
                abstract, abstract_f = text_with_math(paper.abstract or "", first.line if first else 1)
                todo_papers[paper.key] = (title, title_f, abstract, abstract_f, first.path if first else "")
        wanted = {(f.tex, f.display) for v in todo_papers.values() for f in (*v[1], *v[3])}
        for doc in todo_docs:
            wanted |= self.documents.formulas(doc)
        with ThreadPoolExecutor(max_workers=1) as pool:
            math_job = pool.submit(self._render_math, sorted(wanted))
            markdown = {d.path: self.documents.render(d, digests[d.path]) for d in todo_docs}
            results, problem = math_job.result()
        if problem:
            diags.error("package.json", 0, f"cannot render math: {problem}; formulas are shown as TeX source")
        marker = "\0math-fallback" if problem else ""  # a fallback page must differ from the real one
        for doc in todo_docs:
            body, excerpt = markdown[doc.path]
            value = _fill_document(doc, body, excerpt, results, doc_keys[doc.path] + marker)
            done_docs[doc.path] = self._keep(doc_keys[doc.path], value, not problem)
        for key, (title, title_f, abstract, abstract_f, path) in todo_papers.items():
            title_html, d1 = fill_math(title, title_f, results, path)
            abstract_html, d2 = fill_math(abstract, abstract_f, results, path)
            value = RenderedPaper(title_html, abstract_html, [*d1, *d2], paper_keys[key] + marker)
            done_papers[key] = self._keep(paper_keys[key], value, not problem)
        for rendered in (*done_docs.values(), *done_papers.values()):
            diags.extend(rendered.diagnostics)
        return done_docs, done_papers

    def _keep(self, key: str, value, cacheable: bool):
        return self._memo.put(key, value) if cacheable else value  # never keep the TeX-source fallback

    def _katex_version(self) -> str:
        try:
            return self._katex_renderer().katex_version
        except KatexUnavailable:
            return "no katex"

    def _katex_renderer(self) -> KatexRenderer:
        if self._katex is None:
            self._katex = KatexRenderer(self.project, self.cache_dir / "katex")
        return self._katex

    def _render_math(self, wanted: list) -> tuple[dict, str | None]:
        if not wanted:
            return {}, None
        try:
            return self._katex_renderer().render(wanted), None
        except KatexUnavailable as exc:
            return {}, str(exc)


def _paper_key(paper: Paper, katex_version: str) -> str:
    """The merged paper's digest covers its title, abstract and records (where its text came from)."""
    if paper.digest:
        return f"{paper.digest}:{katex_version}"
    first = paper.records[0].source if paper.records else None
    material = repr(
        (paper.title, paper.abstract, first.path if first else "", first.line if first else 1, katex_version)
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _fill_document(
    doc: Document, body: RenderedMarkdown, excerpt: RenderedMarkdown | None, results: dict, digest: str
) -> RenderedDocument:
    html, diags = fill_math(body.html, body.formulas, results, doc.path)
    short = excerpt_html(fill_math(excerpt.html, excerpt.formulas, results, doc.path)[0]) if excerpt else ""
    # Our renderer's output from the author's Markdown, wrapped once (it is large).
    return RenderedDocument(Markup(html), short, body.toc, body.images, [*body.diagnostics, *diags], digest)
