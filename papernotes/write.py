"""The only module that touches output/: Jinja2 rendering, atomic writes, pruning.

Every output path is made by `OutputFolder.path` from a `normalised` relative path; what would resolve
outside output/ is refused with an error naming the source that asked. Files are written to a temporary
sibling and renamed into place (a killed build leaves the old file; its `.tmp-*` are swept next time);
unchanged bytes are not rewritten. Two sources claiming one path is an error naming both; an OS error is
one message, never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import posixpath
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.meta
from markupsafe import Markup

from .diagnostics import Diagnostic, error
from .memo import Memo
from .site.assets import CopiedFile
from .site.graph import digest_of

MANIFEST = ".papernotes-manifest"
TMP_PREFIX = ".tmp-"
_TMP_NAME = re.compile(r"\.tmp-[a-z0-9_]{8}\Z")  # what tempfile.mkstemp(prefix=TMP_PREFIX) names a file


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


def make_environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=_COMPILED,
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)  # output-relative paths whose bytes changed
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    rendered: int = 0
    rendered_paths: list[str] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)  # output path -> fingerprint it was made with


class Refused(ValueError):
    """An output path that would not stay inside output/; the message says why."""


def normalised(rel: str) -> tuple[str, str | None]:
    """(the normal form of a site-relative output path, 'a/./b/../c' -> 'a/c', None), or (rel, why it is
    refused): a backslash or control character (NUL), absolute, climbing out of output/, a name kept for us."""
    if re.search(r"[\x00-\x1f\\]", rel):  # a line break would also split the manifest's line
        return rel, "it holds a backslash or a control character"
    if rel.startswith("/") or re.match(r"[A-Za-z]:", rel):
        return rel, "it is an absolute path"
    normal = posixpath.normpath(rel)
    if normal == ".." or normal.startswith("../"):
        return rel, "it climbs out of the output folder"
    if normal in (".", MANIFEST) or posixpath.basename(normal).startswith(TMP_PREFIX):
        return rel, "it names the output folder or a file the writer keeps for itself"
    return normal, None


def _where(origin: str) -> tuple[str, int]:
    """Where a message about a page points: its source file ('notes/x.md', line 1), else the collection."""
    return (origin, 1) if "/" in origin and ":" not in origin.split("/", 1)[0] else (origin, 0)


def check_collisions(claims: list[tuple[str, str, tuple[str, int]]]) -> tuple[dict[str, str], list[Diagnostic]]:
    """claims: (normalised output path, who made it, (source, line)). Returns the owner of each path (its
    first claimant) + an error at every other claimant, naming both with their lines."""
    owners: dict[str, tuple[str, tuple[str, int]]] = {}
    diags = []
    for rel, owner, where in claims:
        first = owners.setdefault(rel, (owner, where))
        if first[0] != owner:
            both = " and ".join(f"{path}:{line}" if line else path for path, line in (first[1], where))
            diags.append(error(*where, f"output path collision: {rel} is made by both {both}"))
    return {rel: owner for rel, (owner, _) in owners.items()}, diags


class OutputFolder:
    """output/ during one write: every file goes in and out through `path`. A refused path is an error at
    the source that asked; OS errors are one message per kind, naming the first path and how many more."""

    def __init__(self, root: Path, report: WriteReport, diags):
        self.root, self.report, self.diags = root, report, diags
        self.real = os.path.realpath(root)
        self._inside: set[str] = set()  # folders known to resolve inside output/
        self._faults: dict[int, list[str]] = {}

    def open(self) -> bool:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            return True
        except OSError as exc:
            why = "it is a file, not a folder" if os.path.isfile(self.root) else exc.strerror or str(exc)
            self.diags.error(str(self.root), 0, f"cannot use it as the output folder: {why}")
            return False

    def path(self, rel: str) -> Path:
        """output/rel for a `normalised` rel, or Refused when a folder on the way links out of output/."""
        folder = posixpath.dirname(rel)
        if folder and folder not in self._inside:
            real = os.path.realpath(os.path.join(self.root, folder))
            if real != self.real and not real.startswith(self.real.rstrip(os.sep) + os.sep):
                raise Refused(f"{folder}/ in the output folder leads outside it (to {real})")
            self._inside.add(folder)
        return self.root / rel

    def put(self, rel: str, data: bytes | Path, where: tuple[str, int], counted: bool = True) -> bool:
        """Write `data` (bytes, or a file to copy) at rel unless the file there holds it already."""
        try:
            target = self.path(rel)
            if _holds(target, data):
                self.report.unchanged += counted
                return True
            target.parent.mkdir(parents=True, exist_ok=True)
            _replace(target, data)
        except Refused as why:
            self.diags.error(*where, f"refused to write {rel}: {why}")
            return False
        except OSError as exc:
            kind = errno.ENOTDIR if exc.errno == errno.EEXIST else exc.errno or 0  # a file in a folder's place
            self._faults.setdefault(kind, []).append(f"cannot write {rel}: {self._why(rel, exc)}")
            return False
        self.report.written += [rel] if counted else []
        return True

    def _why(self, rel: str, exc: OSError) -> str:
        parts = rel.split("/")
        files = [f for f in ("/".join(parts[:n]) for n in range(1, len(parts))) if os.path.isfile(self.root / f)]
        if exc.errno in (errno.EEXIST, errno.ENOTDIR) and files:
            return f"{files[0]} is a file, not a folder"
        elsewhere = exc.filename and not str(exc.filename).startswith(str(self.root))
        return (exc.strerror or str(exc)) + (f" ({exc.filename})" if elsewhere else "")

    def close(self) -> None:
        for messages in self._faults.values():
            more = f" (and {len(messages) - 1} more files)" if len(messages) > 1 else ""
            self.diags.error(str(self.root), 0, messages[0] + more)

    def sweep(self) -> None:
        """Remove the temporary files a killed build left (only names this writer makes)."""
        for folder, _, files in os.walk(self.root):
            for path in (os.path.join(folder, name) for name in files if _TMP_NAME.match(name)):
                with contextlib.suppress(OSError):
                    os.unlink(path)  # a link of that name goes, never what it points to

    def prune(self, previous: set[str], keep: set[str]) -> None:
        """Remove the regular files the last build recorded (`previous`) that this one did not produce, and
        folders left empty; never a file a user dropped in, a link, or anything behind a folder linking out."""
        for rel in sorted(previous - keep):
            try:
                target = self.path(rel)
                if not stat.S_ISREG(os.lstat(target).st_mode):
                    continue
                target.unlink()
            except (OSError, Refused):
                continue
            self.report.removed.append(rel)
            with contextlib.suppress(OSError):  # rmdir refuses a folder that is not empty
                for parent in target.relative_to(self.root).parents[:-1]:
                    (self.root / parent).rmdir()


def _holds(target: Path, data: bytes | Path) -> bool:
    """Is target a regular file with these bytes already? (Not a link: that is replaced, never followed.)"""
    with contextlib.suppress(OSError):
        found, data = os.lstat(target), data if isinstance(data, bytes) else Path(data).read_bytes()
        return stat.S_ISREG(found.st_mode) and found.st_size == len(data) and target.read_bytes() == data
    return False


def _replace(target: Path, data: bytes | Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=str(target.parent))
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data if isinstance(data, bytes) else Path(data).read_bytes())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_manifest(output: Path, diags=None) -> set[str]:
    """The output paths the last build recorded, normalised. A line that is not a path inside output/
    is ignored (a warning with `diags`): the manifest decides what prune may delete."""
    try:
        text = (output / MANIFEST).read_text(encoding="utf-8", errors="surrogateescape")
    except (OSError, ValueError):
        return set()
    lines = [(number, line, *normalised(line)) for number, line in enumerate(text.split("\n"), 1) if line]
    for number, line, _, problem in lines if diags is not None else ():
        if problem:
            diags.warning(str(output / MANIFEST), number, f"ignored {line!r}: {problem}")
    return {rel for _, _, rel, problem in lines if not problem}


class SiteWriter:
    """Renders pages with Jinja2 and writes them, plus static assets, into output/."""

    def __init__(self, templates: Path, output: Path):
        self.templates = templates
        self.output = output
        self.env = make_environment(templates)
        self._sources: dict[str, str] | None = None  # template name -> digest of its text, this build
        self._closures: dict[str, str] = {}
        self._items = Memo(limit=200_000)  # (template closure, value digest) -> rendered fragment
        self._on_disk: set[str] | None = None  # what this writer knows it left in output/ last time
        self._rels = Memo(limit=1_000_000)  # page URL -> (normalised output path, why it is refused)
        self._fingerprints = Memo(limit=1_000_000)  # (page, templates) -> (input digests, fingerprint)

    # -- templates --------------------------------------------------------------
    def begin(self) -> None:
        """Read the templates for this build; any change of any template starts a fresh Jinja
        environment (compiled templates are keyed by content, not by mtime)."""
        sources = {}
        if self.templates.is_dir():
            for path in sorted(p for p in self.templates.rglob("*") if os.path.isfile(p)):
                with contextlib.suppress(OSError):  # an unreadable template fails when a page renders it
                    sources[path.relative_to(self.templates).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
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
        claims, rels = [], []
        for page in pages:
            rel, problem = self._rels.get(page.url, lambda: normalised(urls.output_file(page.url)))
            if problem:
                diags.error(*_where(page.origin), f"refused to write {rel!r}: {problem}")
            claims += [] if problem else [(rel, page.origin, _where(page.origin))]
            rels.append(None if problem else rel)
        files = _files(assets, claims, diags)
        owners, collision_diags = check_collisions(claims)
        diags.extend(collision_diags)
        produced: set[str] = set()
        on_disk = self._on_disk if self._on_disk is not None else read_manifest(self.output, diags)
        trust_memory = self._on_disk is not None
        site_digest = digest_of(site)
        ordered = [(page, rel) for page, rel in zip(pages, rels) if rel is not None]
        if first:
            ordered.sort(key=lambda pair: pair[0].origin not in first)
        for page, rel in ordered:
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
