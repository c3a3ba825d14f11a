"""Read everything under site_src/: the build's only input I/O.

Walks the content folders, decodes files, hands the text to the pure readers
and returns what they made. Dates a post does not state come from git (the
last commit that touched the file), else the file's mtime — never "now".
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import posixpath
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig
from .diagnostics import Diagnostic, error, warning
from .memo import StoredMemo
from .sources.decode import decode_source
from .sources.detect import detect_format, read_listing
from .sources.documents import Document, read_document
from .sources.records import PaperRecord

DOC_SUFFIXES = {".md", ".markdown"}
LISTING_SUFFIXES = {".md", ".markdown", ".txt", ".bib", ".json"}  # .bib, .json: a library (BibTeX, CSL-JSON)
OUTSIDE = "refused: symlink outside site_src/"

# What a source may name as one segment of an output path (a slug in front matter or site.yaml, a file
# name); site/urls.py slugifies anything else, and this module says so where the slug was written.
RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{dev}{n}" for dev in ("com", "lpt") for n in "123456789¹²³"]
)  # device names on Windows, with or without an extension: a folder `con/` cannot be checked out there
MAX_SEGMENT = 80  # characters: readable, and far below a file system's 255 bytes
MAX_SEGMENT_BYTES = 240
_UNSAFE_CHARS = frozenset('/\\:*?"<>|#%') | {chr(c) for c in range(32)} | {"\x7f"}


def slug_problem(text: str) -> str | None:
    """Why `text` cannot be one segment of an output path as it is, or None.

    Not empty, no separator or character a file system or a URL gives a meaning (`/ \\ : * ? " < > | # %`,
    control characters), not `.`/`..`, no leading or trailing dot or space (hidden files; Windows drops
    trailing ones), not a Windows device name, at most MAX_SEGMENT characters.
    """
    if not text:
        return "it is empty"
    if text in (".", ".."):
        return f"{text!r} is a relative path"
    bad = sorted(set(text) & _UNSAFE_CHARS)
    if bad:
        return "it holds " + " ".join(repr(c) for c in bad)
    if text[0] in ". " or text[-1] in ". ":
        return "it starts or ends with a dot or a space"
    if len(text) > MAX_SEGMENT or len(text.encode("utf-8", "surrogatepass")) > MAX_SEGMENT_BYTES:
        return f"it is longer than {MAX_SEGMENT} characters"
    if text.split(".", 1)[0].strip().casefold() in RESERVED_NAMES:
        return f"{text.split('.', 1)[0]!r} is a reserved file name on Windows"
    return None


@dataclass
class SourceFile:
    path: str  # site-relative, forward slashes
    text: str | None
    digest: str  # content hash, for caches and incremental rebuilds


@dataclass
class Content:
    documents: list[Document] = field(default_factory=list)
    record_groups: list[tuple[PaperRecord, ...]] = field(default_factory=list)  # per file, in path order
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: dict[str, SourceFile] = field(default_factory=dict)
    fallback_dates: dict[str, dt.datetime] = field(default_factory=dict)  # path -> git/mtime date
    failed: set[str] = field(default_factory=set)  # sources with errors: keep their last good pages
    site_files: list[str] = field(default_factory=list)  # files outside the content folders, copied as they are

    @property
    def records(self) -> list[PaperRecord]:
        return [r for group in self.record_groups for r in group]


def _inside(real: str, top: str) -> bool:
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def _files_under(root: Path, folder: str, suffixes: set[str] | None, refused: list[tuple[str, str]]) -> list[str]:
    """Site-relative paths of the content files below root/folder (those with `suffixes`; None: all), in
    path order; hidden ones skipped.

    A link (to any kind of file, or to a folder) that leads outside root is not read: it goes to `refused`
    (path, why), as does the folder itself when it lies outside root. Links to folders are not followed.
    """
    top = os.path.realpath(root)
    start = os.path.join(str(root), folder)
    if not os.path.isdir(start):
        return []
    if not _inside(os.path.realpath(start), top):
        link = os.path.islink(start.rstrip("/" + os.sep))
        refused.append((posixpath.normpath(folder), OUTSIDE if link else "refused: outside site_src/"))
        return []
    found, todo = [], [(start, posixpath.normpath(folder.replace(os.sep, "/")))]
    while todo:
        here, prefix = todo.pop()
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = entry.name if prefix == "." else f"{prefix}/{entry.name}"
            try:
                link = entry.is_symlink()
                if link and not _inside(os.path.realpath(entry.path), top):
                    refused.append((rel, OUTSIDE))
                elif entry.is_dir(follow_symlinks=False):
                    todo.append((entry.path, rel))
                elif entry.is_file() and (suffixes is None or os.path.splitext(entry.name)[1].lower() in suffixes):
                    found.append(rel)  # a regular file, or a link to one inside root (not a pipe: it would block)
            except OSError:
                continue
    return sorted(found, key=lambda rel: rel.split("/"))


def _site_files(config: SiteConfig, paths: list[str]) -> list[str]:
    """What is published as it is: not a content folder's, not site.yaml, no Markdown (a note outside the
    content folders is not a page), nothing under a `_`-named folder or file (Hexo's rule: `_data/`)."""
    folders = {config.posts_dir, config.notes_dir, config.papers_dir, config.pages_dir}
    folders = {posixpath.normpath(f).strip("/") + "/" for f in folders}
    return [
        rel
        for rel in paths
        if rel != "site.yaml"
        and not any(rel.startswith(f) for f in folders)
        and posixpath.splitext(rel)[1].lower() not in DOC_SUFFIXES
        and not any(part.startswith("_") for part in rel.split("/"))
    ]


def _override(config: SiteConfig, rel: str) -> str | None:
    for pattern, fmt in config.formats:
        if fnmatch.fnmatch(rel, pattern) or rel.startswith(pattern.rstrip("/") + "/"):
            return fmt
    return None


def read_file(root: Path, path: Path) -> tuple[SourceFile, list[Diagnostic]]:
    import hashlib

    rel = path.relative_to(root).as_posix()
    try:
        data = path.read_bytes()
    except OSError as exc:
        return SourceFile(rel, None, ""), [error(rel, 0, f"cannot read file: {exc.strerror}")]
    text, diags = decode_source(rel, data)
    return SourceFile(rel, text, hashlib.sha256(data).hexdigest()), list(diags)


def _commit_date(field_: str) -> dt.datetime | None:
    if not field_.startswith("@"):
        return None
    try:
        return dt.datetime.fromisoformat(field_[1:])
    except ValueError:
        return None  # a file whose name starts with "@"


def git_dates(root: Path) -> dict[str, dt.datetime]:
    """Last commit date of every file under root, in one git call."""
    try:
        top = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True, timeout=20
        )
        if top.returncode != 0:
            return {}
        # -z: names as they are (no quoting of non-ASCII or odd names), NUL-separated.
        log = subprocess.run(
            ["git", "-C", str(root), "log", "-z", "--format=@%cI", "--name-only", "--", "."],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    toplevel = Path(top.stdout.strip()).resolve()
    base = root.resolve()
    dates: dict[str, dt.datetime] = {}
    current = None
    for field_ in os.fsdecode(log.stdout).split("\0"):  # "@<date>", "\n<first file>", "<file>", …
        stamp = _commit_date(field_)
        if stamp is not None:
            current = stamp
            continue
        name = field_.removeprefix("\n")
        if name and current is not None:
            try:
                rel = (toplevel / name).resolve().relative_to(base).as_posix()
            except (ValueError, OSError):
                continue
            dates.setdefault(rel, current)
    return dates


@dataclass
class FileResult:
    """Everything read from one file; reused while the file's size and mtime stay the same."""

    source: SourceFile
    document: Document | None = None
    records: tuple[PaperRecord, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    failed: bool = False


def _read_one(config: SiteConfig, path: Path, kind: str | None, stored: StoredMemo | None = None) -> FileResult:
    src, diags = read_file(config.root, path)
    if src.text is None:
        return FileResult(src, diagnostics=tuple(diags), failed=True)
    if stored is None:
        return _parse(config, src, kind, diags)
    key = f"read\0{src.path}\0{kind}\0{src.digest}\0{config.formats!r}"
    return stored.get(key, lambda: _parse(config, src, kind, diags))


def _parse(config: SiteConfig, src: SourceFile, kind: str | None, diags: list) -> FileResult:
    """What the readers make of one file's text: a function of its path, kind, bytes and the format overrides."""
    doc, records = None, ()
    if kind is not None:
        doc, doc_diags = read_document(src.path, src.text, kind)
        diags += list(doc_diags) + slug_warnings(doc, src.text)
        # A post or note may also carry paper records (seed 000's list, 001's sections).
        fmt = _override(config, src.path) or detect_format(src.path, src.text)
        if fmt:
            result = read_listing(src.path, src.text, fmt)
            records, diags = result.records, diags + list(result.diagnostics)
    else:
        result = read_listing(src.path, src.text, _override(config, src.path))
        records, diags = result.records, diags + list(result.diagnostics)
    failed = any(d.level == "error" and d.path == src.path for d in diags)
    # The text itself is not kept: the document and records hold what is needed of it.
    return FileResult(SourceFile(src.path, None, src.digest), doc, tuple(records), tuple(diags), failed)


def _key_line(text: str, key: str, value: str | None = None) -> int:
    """The line of `key:` (with `value`, when given) near the top of a YAML text, else 1."""
    pattern = re.compile(rf"^\s*-?\s*{re.escape(key)}\s*:\s*(.*?)\s*$")
    for number, line in enumerate(text.split("\n", 2000)[:2000], 1):
        found = pattern.match(line)
        if found and (value is None or found.group(1).strip("'\"") == value):
            return number
    return 1


def slug_warnings(doc: Document, text: str) -> list[Diagnostic]:
    """A slug (front matter's, else the file name's) that cannot be one path segment: site/urls.py
    slugifies it; say so where it was written."""
    problem = slug_problem(doc.slug)
    if problem is None:
        return []
    line = _key_line(text.split("\n---", 1)[0], "slug") if text.startswith("---") else 1
    named = "slug" if line > 1 else "file name"
    message = f"{named} {_shown(doc.slug)} cannot be one URL segment ({problem}): it is slugified"
    return [warning(doc.path, line, message)]


def _shown(slug: str) -> str:
    return repr(slug if len(slug) <= 60 else slug[:50] + "…")


def topic_slug_warnings(config: SiteConfig) -> list[Diagnostic]:
    unsafe = [(rule.slug, slug_problem(rule.slug)) for rule in config.topics or ()]
    unsafe = [(slug, problem) for slug, problem in unsafe if problem]
    if not unsafe:
        return []
    try:
        text = (config.root / "site.yaml").read_text(encoding="utf-8")
    except (OSError, ValueError):
        text = ""
    return [
        warning(
            "site.yaml",
            _key_line(text, "slug", slug),
            f"topic slug {_shown(slug)} cannot be one URL segment ({problem}): it is slugified",
        )
        for slug, problem in unsafe
    ]


RACY_NS = 2_000_000_000  # a file changed this soon before it was read may change again unseen (coarse mtimes)


def _stamp(path: Path, kind: str | None):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (kind, st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def load_content(
    config: SiteConfig,
    cache: dict | None = None,
    keep_last_good: bool = False,
    stored: StoredMemo | None = None,
    drafts: bool = False,
) -> Content:
    """Read every content file; with `cache` (kept by the caller between builds) only changed files are read.

    A file is re-read when its stat changed, or when it was modified so shortly before it was last read
    that a later edit could keep the same stat (git's "racy clean" rule); it is re-parsed only when its
    bytes changed. With `keep_last_good` (the dev server), a file that is broken right now (a half-saved
    note) keeps the document and paper records of its last good version, so the site around it does not
    change; its errors are still reported. Drafts (`draft: true`, a `_drafts/` folder) are read and
    checked but published, with the papers they list, only with `drafts`.
    """
    root = config.root
    cache = {} if cache is None else cache
    if cache.get("@formats") != config.formats:  # what a file is read as depends on these overrides
        cache.clear()
        cache["@formats"] = config.formats
    content = Content()
    seen: set[str] = set()
    refused: list[tuple[str, str]] = []
    wanted = [
        (kind, path)
        for kind, folder in (("post", config.posts_dir), ("note", config.notes_dir), ("page", config.pages_dir))
        for path in _files_under(root, folder, DOC_SUFFIXES, refused)
    ]
    wanted += [(None, path) for path in _files_under(root, config.papers_dir, LISTING_SUFFIXES, refused)]
    # Links out anywhere else (an image): refused, said once, here. The files outside the content folders
    # (images/, favicon.ico, CNAME…) are published as they are, as Hexo publishes its source/ folder.
    everything = _files_under(root, ".", None, refused)
    content.site_files = _site_files(config, everything)
    refused = [(rel, why) for rel, why in refused if rel != "site.yaml"]  # config.py reads that one
    content.diagnostics += [warning(rel, 1, why) for rel, why in sorted(set(refused))]
    content.diagnostics += topic_slug_warnings(config)
    for kind, rel in wanted:
        path = root / rel
        seen.add(rel)
        stamp = _stamp(path, kind)
        hit = cache.get(rel)
        if hit is None or stamp is None or hit[0] != stamp or hit[1] - stamp[1] < RACY_NS:
            read_at = time.time_ns()
            fresh = _read_one(config, path, kind, stored)
            if keep_last_good and fresh.failed and hit is not None:
                prev = hit[2]  # the last good version (or what was kept of it while the file stays broken)
                fresh = FileResult(prev.source, prev.document, prev.records, fresh.diagnostics, failed=True)
            hit = cache[rel] = (stamp, read_at, fresh)
        result = hit[2]
        content.files[rel] = result.source
        content.diagnostics += result.diagnostics
        if result.document is not None and result.document.draft and not drafts:
            continue
        content.record_groups.append(result.records)
        if result.failed:
            content.failed.add(rel)
        if result.document is not None:
            content.documents.append(result.document)
    for gone in set(cache) - seen - {"@git", "@formats"}:
        del cache[gone]

    undated = [d for d in content.documents if d.date is None]
    if undated:
        head = git_head(root)
        if "@git" not in cache or cache["@git"][0] != head:  # one `git log` per commit, not per rebuild
            cache["@git"] = (head, git_dates(root) if head else {})
        dates = cache["@git"][1]
        for doc in undated:
            content.fallback_dates[doc.path] = dates.get(doc.path) or _mtime(root / doc.path)
    return content


def git_head(root: Path) -> str | None:
    """The commit checked out (and whether files are staged), or None outside git."""
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(path.stat().st_mtime), dt.UTC)
