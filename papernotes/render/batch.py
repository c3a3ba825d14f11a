"""The rendering batch: every document and every scraped title/abstract to HTML with math.

Markdown runs on this core (and a forked worker's, render/parallel.py) while KaTeX
renders the formulas in its node process. Results are memos keyed by a digest of their full inputs (a
document's render key covers its text, path, renderer code, Markdown and
Pygments versions and which images exist; a paper's its merged records; both
add the KaTeX version), and each result carries that digest so the pages made
from it can be fingerprinted without hashing the HTML.

What every build needs of a document (headings, images, diagnostics, excerpt)
is small and kept between processes; its full HTML (large, with KaTeX) is made
only when its page renders, from the Markdown and KaTeX caches.
"""

from __future__ import annotations

import hashlib
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..diagnostics import Diagnostic, Diagnostics
from ..memo import Memo, StoredMemo
from ..model.paper import Paper
from ..sources.documents import Document
from ..sources.text import clean_tex_residue
from .documents import DocumentRenderer
from .excerpt import excerpt_html
from .images import ImageRef
from .katex import KatexRenderer, KatexUnavailable
from .markdown import RenderedMarkdown, TocEntry
from .math import fill_math
from .outline import summary
from .parallel import MarkdownShare
from .text import raw_tex, text_with_math

FORMULA_CHUNK = 50  # documents whose formulas go to KaTeX as one job (the first is soon ready)


@dataclass(frozen=True)
class RenderedDocument:
    """What the site needs of a rendered document on every build; the HTML itself is `RenderBatch.html`."""

    excerpt_html: str  # before <!--more-->, for lists ("" without a marker)
    toc: list[TocEntry]
    images: list[ImageRef]
    diagnostics: list[Diagnostic]
    digest: str  # of everything the HTML is made from
    summary: str = ""  # the start of its visible text (formulas left out), for descriptions
    words: int = 0
    cites: tuple[str, ...] = ()  # keys of the papers its `[@key]` citations name, each once, in order


@dataclass(frozen=True)
class RenderedPaper:
    title_html: str
    abstract_html: str
    diagnostics: list[Diagnostic]
    digest: str


class MathUnavailable(Exception):
    """KaTeX could not render a page's formulas when the page was drawn (its fingerprint is not kept)."""


class RenderBatch:
    """Keeps the KaTeX worker and the memos between builds (the dev server reuses one)."""

    def __init__(self, project: Path, source: Path, cache_dir: Path, stored: StoredMemo | None = None):
        self.project = project
        self.cache_dir = cache_dir
        self.documents = DocumentRenderer(source, cache_dir / "markdown")
        self.stored = stored or StoredMemo(cache_dir / "unused.pickle")
        self._katex: KatexRenderer | None = None
        self._memo = Memo(limit=50_000)  # render key -> RenderedDocument / RenderedPaper
        # render key -> a document's full HTML, UTF-8 and deflated (a note with one character outside the BMP
        # is a str of 4 bytes a character: 1,000 notes held 216 MB as str, 105 MB as UTF-8, ~13 MB deflated; KaTeX's
        # markup repeats itself, and a document's HTML is wanted two or three times a build: ~1 ms each)
        self._html = Memo(limit=2_000)
        self.processes_started = 0
        self.base_path = "/"
        # (papers, KaTeX version, their render keys, their results, their diagnostics) of the last render
        self._last_papers: tuple | None = None

    def close(self) -> None:
        if self._katex is not None:
            self.processes_started += self._katex.processes_started
            self._katex.close()
            self._katex = None

    def node_processes(self) -> int:
        return self.processes_started + (self._katex.processes_started if self._katex else 0)

    def render(
        self,
        documents: list[Document],
        digests: dict[str, str],
        papers: list[Paper],
        diags: Diagnostics,
        base_path: str = "/",
        math: str = "auto",
        posts: dict[str, tuple[str, str]] | None = None,
        citations=None,
    ) -> tuple[dict[str, RenderedDocument], dict[str, RenderedPaper]]:
        """`digests`: document path -> digest of its file; `base_path`: where the site is served; `math`: the
        site's math convention; `posts`: what a `{% post_link %}` may name -> (href, title); `citations`: what a
        `[@key]` may cite, a mapping key -> render/citations.Citation (site/views.CitationTargets)."""
        self.base_path = base_path
        self.documents.begin(math, posts or {}, citations if citations is not None else {})
        version = self._katex_version()
        doc_keys = {d.path: self._doc_key(d, digests[d.path], version) for d in documents}
        last = self._last_papers  # the very same merged papers as the last render (a note's prose edited)
        same_papers = last is not None and last[0] is papers and last[1] == version
        paper_keys = last[2] if same_papers else {p.key: _paper_key(p, version) for p in papers}
        done_docs = {}
        for d in documents:
            hit = self._known(doc_keys[d.path])
            if hit is not None and self.documents.images_unchanged(d, hit.images):
                done_docs[d.path] = hit
        if same_papers:
            done_papers = last[3]  # the very same dict (not changed below: no paper is to do)
        else:
            done_papers = {k: hit for k, key in paper_keys.items() if (hit := self._known(key)) is not None}
        todo_docs = [d for d in documents if d.path not in done_docs]
        todo_papers = {}
        for paper in papers:
            if paper.key not in done_papers:
                first = paper.records[0].source if paper.records else None
                where = (first.path, first.line) if first else ("", 1)
                told = _abstract_source(paper) or where  # a formula's message names its own line
                title, title_f = text_with_math(paper.title, where[1])
                abstract, abstract_f = text_with_math(paper.abstract or "", told[1], links=True)
                raw = [*raw_tex(paper.title, *where), *raw_tex(paper.abstract or "", *told)]
                todo_papers[paper.key] = (title, title_f, abstract, abstract_f, where[0], told[0], raw)
        wanted = {(f.tex, f.display) for v in todo_papers.values() for f in (*v[1], *v[3])}
        share = MarkdownShare(self.documents, todo_docs, digests, base_path)  # forks before KaTeX's thread
        with ThreadPoolExecutor(max_workers=1) as pool:
            # KaTeX starts on the first formulas found while the rest are looked for (one job at a time,
            # in order), then renders alongside Markdown.
            math_jobs = [pool.submit(self._render_math, sorted(wanted))]
            for start in range(0, len(todo_docs), FORMULA_CHUNK):
                found = set().union(*(self.documents.formulas(d) for d in todo_docs[start : start + FORMULA_CHUNK]))
                math_jobs.append(pool.submit(self._render_math, sorted(found - wanted)))
                wanted |= found
            markdown = share.results()
            results, problem = {}, None
            for job in math_jobs:
                found, trouble = job.result()
                results.update(found)
                problem = problem or trouble
            if problem:  # all formulas as TeX, as when KaTeX was never there, not some
                results = {}
        if problem:
            diags.error("package.json", 1, f"cannot render math: {problem}; formulas are shown as TeX source")
        marker = "\0math-fallback" if problem else ""  # a fallback page must differ from the real one
        for doc in todo_docs:
            key = doc_keys[doc.path]
            body, excerpt = markdown[doc.path]
            html, rendered = _fill_document(doc, body, excerpt, results, key + marker)
            self._html.put(rendered.digest, _packed(html))
            if not problem:
                self._keep(key, rendered)
            done_docs[doc.path] = rendered
        for key, (title, title_f, abstract, abstract_f, path, abstract_path, raw) in todo_papers.items():
            title_html, d1 = fill_math(title, title_f, results, path)
            abstract_html, d2 = fill_math(abstract, abstract_f, results, abstract_path)
            done_papers[key] = RenderedPaper(title_html, abstract_html, [*d1, *d2, *raw], paper_keys[key] + marker)
            if not problem:  # never keep the TeX-source fallback
                self._keep(paper_keys[key], done_papers[key])
        for rendered in done_docs.values():
            diags.extend(rendered.diagnostics)
        paper_diags = last[4] if same_papers else [d for r in done_papers.values() for d in r.diagnostics]
        diags.extend(paper_diags)
        self._last_papers = None if problem else (papers, version, paper_keys, done_papers, paper_diags)
        return done_docs, done_papers

    def html(self, doc: Document, file_digest: str, rendered: RenderedDocument) -> Markup:
        """A document's full HTML with math: kept from this session, else remade from the caches."""
        hit = self._html.peek(rendered.digest)
        if hit is not None:
            return Markup(zlib.decompress(hit).decode("utf-8", "surrogatepass"))
        body, excerpt = self.documents.render(doc, file_digest, self.base_path)
        results, problem = self._render_math(sorted({(f.tex, f.display) for f in body.formulas}))
        if problem:
            raise MathUnavailable(problem)
        html, _ = _fill_document(doc, body, excerpt, results, rendered.digest)
        self._html.put(rendered.digest, _packed(html))
        return html

    def _doc_key(self, doc: Document, digest: str, version: str) -> str:
        return hashlib.sha256(f"{self.documents.key(doc, digest, self.base_path)}\0{version}".encode()).hexdigest()

    def _known(self, key: str):
        hit = self._memo.peek(key)
        if hit is None:
            hit = self.stored.peek(f"render\0{key}")
            if hit is not None:
                self._memo.put(key, hit)
        return hit

    def _keep(self, key: str, value) -> None:
        self._memo.put(key, value)
        self.stored.put(f"render\0{key}", value)

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


def _packed(html: str) -> bytes:
    return zlib.compress(html.encode("utf-8", "surrogatepass"), 1)


def _abstract_source(paper: Paper) -> tuple[str, int] | None:
    """(path, line) where the paper's abstract was read: the record it came from (merge.py takes the best
    ranked one and cleans its TeX residue), at the line its text starts on."""
    if not paper.abstract:
        return None
    told = [r for r in paper.records if r.abstract]
    record = next((r for r in told if clean_tex_residue(r.abstract) == paper.abstract), told[0] if told else None)
    if record is None:
        return None
    return record.source.path, record.abstract_line or record.source.line


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
) -> tuple[Markup, RenderedDocument]:
    html, diags = fill_math(body.html, body.formulas, results, doc.path)
    short = excerpt_html(fill_math(excerpt.html, excerpt.formulas, results, doc.path)[0]) if excerpt else ""
    # The render key sees `![](src)` images only; which file every image named is part of the result.
    seen = "\0".join(f"{i.src}={i.resolved}" for i in body.images)
    digest = hashlib.sha256(f"{digest}\0{seen}".encode()).hexdigest() if seen else digest
    # Our renderer's output from the author's Markdown, wrapped once (it is large).
    shown = body.outline
    cites = tuple(dict.fromkeys(found.paper for _, found in body.citations if found is not None))
    rendered = RenderedDocument(
        short, body.toc, body.images, [*body.diagnostics, *diags], digest, summary(shown.text), shown.words, cites
    )
    return Markup(html), rendered
