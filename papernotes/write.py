"""The writer: renders the pages whose fingerprints changed with Jinja2 and puts them, with the assets,
into output/ through papernotes/output.py (the one place output paths are made), then prunes.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta
from markupsafe import Markup

from .diagnostics import Diagnostic, Diagnostics
from .heap import give_back
from .memo import Memo
from .output import MANIFEST, OutputFolder, WriteReport, check_collisions, normalised, read_manifest
from .site.assets import CopiedFile
from .site.graph import digest_of
from .site.page import same_in


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates shared by every environment of this process, keyed by Jinja by the
    template's name and a checksum of its source (so an edited template is compiled again)."""

    def __init__(self) -> None:
        self._code = Memo(limit=2_000)

    def load_bytecode(self, bucket) -> None:
        code = self._code.peek(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code.put(bucket.key, bucket.bytecode_to_string())


_COMPILED = _CompiledTemplates()
_REFERENCES = Memo(limit=2_000)  # digest of a template's source -> the templates it names


_DICT_ATTRIBUTES = frozenset(dir(dict))
GIVE_BACK_EVERY = 4_096  # rendered pages (27,000 papers: Python's peak while writing ~926 -> ~866 MiB, ~5 ms a time)


class _Environment(jinja2.Environment):
    """Jinja's environment, with `value.name` on a plain dict looked up as a key first when `name` is not
    one of dict's own attributes: what Jinja returns anyway, without raising and catching AttributeError
    for every field of every page's data (a quarter of a paper page's render time)."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def make_environment(templates: Sequence[Path]) -> jinja2.Environment:
    """Templates are looked up in `templates` in order, file by file (a site's own, then the theme's)."""
    env = _Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in templates]),
        bytecode_cache=_COMPILED,
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # `SiteWriter.begin` makes a new environment when any template changes
    )
    # `tojson` (JSON-LD, settings for scripts): Chinese as it is, not \uXXXX; <, >, & and ' are still escaped
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env


def _where(origin: str) -> tuple[str, int]:
    """Where a message about a page points: its source file ('notes/x.md', line 1), else the collection."""
    return (origin, 1) if "/" in origin and ":" not in origin.split("/", 1)[0] else (origin, 0)


class SiteWriter:
    """Renders pages with Jinja2 and writes them, plus static assets, into output/."""

    def __init__(self, templates: Path | Sequence[Path], output: Path, rebuilds: bool = True):
        """`rebuilds`: keep per page what a later write of this writer reuses (the dev server's), not only
        what this one needs (27,000 papers: ~50 MB)."""
        self.templates = [templates] if isinstance(templates, Path) else list(templates)  # lookup order
        self.output = output
        self.env = make_environment(self.templates)
        self._sources: dict[str, str] | None = None  # template name -> digest of its text, this build
        self._closures: dict[str, str] = {}
        self._items = Memo(limit=200_000)  # (template closure, value digest) -> rendered fragment
        self._on_disk: set[str] | None = None  # what this writer knows it left in output/ last time
        per_page = 1_000_000 if rebuilds else 0
        self._rels = Memo(limit=per_page)  # page URL -> (normalised output path, why it is refused)
        self._fingerprints = Memo(limit=per_page)  # (URL, templates) -> (page, input digests, fingerprint)
        self._last_plan: _Plan | None = None

    # -- templates --------------------------------------------------------------
    def begin(self) -> None:
        """Read the templates for this build, each name as the loader resolves it (the first folder holding
        it: an override added, edited or deleted changes that name's digest); any change of any template
        starts a fresh Jinja environment (compiled templates are keyed by content, not by mtime)."""
        sources: dict[str, str] = {}
        for folder in self.templates:
            if not folder.is_dir():
                continue
            for path in sorted(p for p in folder.rglob("*") if os.path.isfile(p)):
                name = path.relative_to(folder).as_posix()
                if name not in sources:
                    sources[name] = "unreadable"  # fails when a page renders it, naming the page
                    with contextlib.suppress(OSError):
                        sources[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        if sources != self._sources:
            self.env = make_environment(self.templates)
            self._closures = {}
        self._sources = sources

    def _closure(self, name: str) -> set[str]:
        """The template and everything it extends, includes or imports; all templates if it picks one
        by a variable (then any of them may be used)."""
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            try:
                source = self.env.loader.get_source(self.env, current)[0]
                refs = _REFERENCES.get(
                    hashlib.sha256(source.encode("utf-8")).hexdigest(),
                    lambda: list(jinja2.meta.find_referenced_templates(self.env.parse(source))),
                )
            except (jinja2.TemplateError, OSError):
                continue  # a missing or broken template fails when the page renders, naming the page
            if None in refs:
                return set(self._sources or ()) | seen
            todo += refs
        return seen

    def templates_digest(self, names: tuple[str, ...]) -> str:
        key = "\0".join(names)
        if key not in self._closures:
            closure = set()
            for name in names:
                closure |= self._closure(name)
            sources = self._sources or {}
            self._closures[key] = hashlib.sha256(
                "\0".join(f"{n}={sources.get(n, 'missing')}" for n in sorted(closure)).encode()
            ).hexdigest()
        return self._closures[key]

    def fragment(self, template: str, name: str):
        """A callable rendering one small template (a list item) for a value with a known digest;
        made once per (template closure, value) and shared by every list that shows it."""

        def render(value, digest: str) -> Markup:
            key = (self.templates_digest((template,)), digest)
            return self._items.get(key, lambda: Markup(self.env.get_template(template).render({name: value})))

        return render

    # -- pages and files ----------------------------------------------------------
    def _plan(self, pages, urls, assets: dict, diags) -> tuple[_Plan, list]:
        """Every page's output path (refused ones are errors at their source), the assets to write, and the
        owner of each path (two claimants of one path: an error naming both)."""
        found = Diagnostics()
        file_claims: list = []
        files = _files(assets, file_claims, found)
        last = self._last_plan
        same = last is not None and last.urls == urls and last.file_claims == file_claims
        if not same or not same_in(last.pages, pages, 0, 5):  # the same (Page.url, Page.origin)
            claims, rels = [], []
            for page in pages:
                rel, problem = self._rels.get(page.url, lambda: normalised(urls.output_file(page.url)))
                if problem:
                    found.error(*_where(page.origin), f"refused to write {rel!r}: {problem}")
                claims += [] if problem else [(rel, page.origin, _where(page.origin))]
                rels.append(None if problem else rel)
            owners, collisions = check_collisions(claims + file_claims)
            planned = {claim[0] for claim in claims} | {file[0] for file in files}
            last = _Plan(list(pages), urls, file_claims, rels, owners, collisions, planned, *_positions(pages, rels))
            self._last_plan = last
        else:  # the same places (pages remade by this build are equal in them): the plan holds
            last.pages = list(pages)
        diags.extend(found.items)
        diags.extend(last.diagnostics)
        return last, files

    def write(
        self,
        pages,
        graph,
        urls,
        site: dict,
        diags,
        previous: dict[str, str],
        assets: dict,
        keep_failed: set[str] = frozenset(),
        first: set[str] = frozenset(),
    ) -> WriteReport:
        """Render every page whose fingerprint differs from `previous` (output path -> fingerprint of the
        file there) or whose file is missing; write it if its bytes changed; then the assets. Pages made from
        a file in `first` (the file just saved) go first: the page the author looks at updates early."""
        report = WriteReport()
        out = OutputFolder(self.output, report, diags)
        if not out.open():
            return report
        if self._on_disk is None:  # a new process: what a killed one left
            out.sweep()
        plan, files = self._plan(pages, urls, assets, diags)
        owners = plan.owners
        produced: set[str] = set()
        on_disk = self._on_disk if self._on_disk is not None else read_manifest(self.output, diags)
        trust_memory = self._on_disk is not None
        # Before the first write the manifest lists every file this build may leave (what it plans, with what
        # the last build left), so a build killed half-way leaves nothing the next build's prune cannot find.
        if not plan.planned <= on_disk:
            union = ("\n".join(sorted(on_disk | plan.planned)) + "\n").encode("utf-8", "surrogateescape")
            out.put(MANIFEST, union, (MANIFEST, 0), counted=False)
        site_digest = digest_of(site)
        rels, order = plan.rels, plan.order
        if first:  # the saved file's pages, then the others (filtered only once the first ones are written)
            early = [n for origin in first for n in plan.by_origin.get(origin, ())]
            order = itertools.chain(early, (n for n in plan.order if pages[n].origin not in first))
        for n in order:
            page, rel = pages[n], rels[n]
            if owners.get(rel) != page.origin:
                continue
            produced.add(rel)
            templates = site_digest + self.templates_digest((page.template, *page.fragments))
            fingerprint = graph.fingerprint(page, templates, self._fingerprints)
            exists = rel in on_disk and (trust_memory or os.path.exists(self.output / rel))
            if exists and page.origin in keep_failed:
                continue  # the last good page of a source that is broken right now: re-render once fixed
            if exists and previous.get(rel) == fingerprint:
                report.fingerprints[rel] = fingerprint
                continue
            try:
                context = graph.context(page)
                context["site"] = site
                view = {"breadcrumbs": [], "section": page.url.split("/", 1)[0], **context["page"]}
                context["page"] = {**view, "canonical": urls.absolute(page.url)}
                html = self.env.get_template(page.template).render(context)
            except Exception as exc:  # a template bug names the page instead of killing the build
                where = (f"templates/{page.template}", getattr(exc, "lineno", 0) or 0)
                diags.error(*where, f"rendering {page.url or '/'}: {type(exc).__name__}: {exc}")
                continue
            report.rendered += 1
            report.rendered_paths.append(rel)
            if report.rendered % GIVE_BACK_EVERY == 0:
                give_back()  # the page strings freed between the pages and memos that stay
            if out.put(rel, html.encode("utf-8"), _where(page.origin)):
                report.fingerprints[rel] = fingerprint

        for rel, data, owner, where in files:
            if owners.get(rel) == owner:
                produced.add(rel)
                out.put(rel, data, where)
        out.prune(on_disk, produced)
        manifest = ("\n".join(sorted(produced)) + "\n").encode("utf-8", "surrogateescape")  # undecodable names
        out.put(MANIFEST, manifest, (MANIFEST, 0), counted=False)
        out.close()
        self._on_disk = produced
        return report


@dataclass
class _Plan:
    """Where a build's pages go and who owns each output path: the same while the pages and the assets'
    paths are (a rebuild after an edit reuses it instead of going over every page again)."""

    pages: list
    urls: object
    file_claims: list
    rels: list  # each page's normalised output path, or None (refused)
    owners: dict[str, str]  # output path -> its owner (a page's origin, an asset's source line)
    diagnostics: list[Diagnostic]
    planned: set[str]  # every path this build may write
    order: list[int]  # the positions of the pages not refused, in order
    by_origin: dict[str, list[int]]  # the same positions by the pages' origin


def _positions(pages: list, rels: list) -> tuple[list[int], dict[str, list[int]]]:
    """The positions of the pages not refused, in order, and the same positions by the pages' origin."""
    order = [n for n, rel in enumerate(rels) if rel is not None]
    by_origin: dict[str, list[int]] = {}
    for n in order:
        by_origin.setdefault(pages[n].origin, []).append(n)
    return order, by_origin


def _files(assets: dict, claims: list, diags) -> list[tuple[str, bytes | Path, str, tuple[str, int]]]:
    """The assets to write: (normalised path, bytes or file, owner, (source, line)). Their claims join
    the pages'; a copied file is owned by its source line, so it never shares an owner with a page."""
    files = []
    for rel, src in sorted(assets.items()):
        where = (src.origin, src.line) if isinstance(src, CopiedFile) else (rel, 0)
        checked, problem = normalised(rel)
        if problem:
            diags.error(*where, f"refused to write {rel!r}: {problem}")
            continue
        owner = f"{where[0]}:{where[1]}"
        claims.append((checked, owner, where))
        claims += [(checked, f"{o}:{n}", (o, n)) for o, n, _ in getattr(src, "rivals", ())]
        files.append((checked, src.path if isinstance(src, CopiedFile) else src, owner, where))
    return files
