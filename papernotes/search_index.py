"""Full-text search: Pagefind fed the site's search documents, in bundles, beside the build.

Pagefind (the `pagefind[extended]` PyPI package, whose extended binary segments Chinese) makes a static
index + `pagefind.js`, which go into `output/pagefind/`. It is not pointed at the written site (re-parsing
80,000 finished pages took 4.5 GB): site/search_docs.py makes one small HTML document per searchable page
(a paper's title, authors, venue, year, topics, arXiv id and abstract; a note's text) and this module hands
them to `pagefind --service` while the writer writes.

Why the detours:
- Pagefind holds ~100 bytes of memory per byte it indexes, so the documents come in bundles of bounded size,
  each indexed by its own short-lived service process (memory is returned when it exits) into its own folder:
  the first is `pagefind/`, the others `pagefind/part-N/`, listed in `pagefind/bundles.json`; the search
  page merges them at query time (Pagefind's `mergeIndex`).
- The index's files are asked for (`GetFiles`) and unpacked by a helper process, not written by Pagefind's
  `WriteFiles`, which answers before its writes are flushed.
- We speak the service's protocol ourselves (pagefind_service.py).
- The index is built into a fresh temporary folder and then renamed into place, so a run never mixes old and
  new fragments, a failed run keeps the previous index, and nothing stale survives.
- Pagefind's files are not byte-stable between runs (Rust hash-map order), so the bundle keeps a digest of the
  documents it was made from and an unchanged site keeps its byte-identical index at no cost.
- Problems come back as Diagnostics; nothing here raises into the build. On Linux a Pagefind process dies
  with the build that started it (even one killed with `kill -9`), and the next build sweeps the temporary
  folders.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import typing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: a folder in use cannot be told from a killed run's
    fcntl = None  # type: ignore[assignment]

from .diagnostics import Diagnostic, error, warning
from .pagefind_service import PagefindError, Service, dies_with_us, pagefind_version
from .pagefind_service import pagefind_executable as _pagefind_executable  # a name the tests replace

BUNDLE_DIR = "pagefind"
MANIFEST = "bundles.json"  # the merged bundles, relative to pagefind/
STAMP = ".papernotes-inputs"  # digest of what the index was built from, kept inside the bundle
TMP_PREFIX = ".pagefind-tmp-"
OLD_PREFIX = ".pagefind-old-"
INSTALL_HINT = "pip install 'pagefind[extended]'"
TIMEOUT_SECONDS = 600
# What Pagefind writes into every bundle for its own search UIs (~420 KB a bundle, ~22 bundles at 27,000 papers)
UNUSED_FILES = (
    *(f"pagefind-{ui}.{ext}" for ui in ("ui", "modular-ui", "component-ui") for ext in ("js", "css")),
    "pagefind-highlight.js",
)

Bundle = Sequence[tuple[str, str]]  # (URL path, HTML document) per searchable page


def _inside(path: str) -> str:
    """A file name Pagefind gave: relative and below its bundle, or the index is refused."""
    parts = Path(path).parts
    if not parts or Path(path).is_absolute() or ".." in parts:
        raise PagefindError(f"it named a file outside its bundle: {path!r}")
    return path


# Writes a bundle into argv[1], in its own process: written from this one, each of a bundle's ~3,000 files
# took turns for the GIL with the page writer. stdin: per file "<name length> <size>\n", the name, the bytes.
# A name that is absolute, has `..` or a NUL, or names a file already there is refused (exit status 1).
_UNPACK = """
import os, sys
data, root, at, made = sys.stdin.buffer.read(), sys.argv[1], 0, set()
while at < len(data):
    end = data.index(b"\\n", at)
    size_name, size = map(int, data[at:end].split())
    name = data[end + 1 : end + 1 + size_name].decode("utf-8")
    at = end + 1 + size_name + size
    parts = name.split("/")
    if not name or name.startswith("/") or ".." in parts or "\\0" in name or "" in parts:
        sys.exit(f"refused file name {name!r}")
    folder = os.path.join(root, *parts[:-1])
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)
    fd = os.open(os.path.join(root, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    view = memoryview(data)[end + 1 + size_name : at]
    while view:
        view = view[os.write(fd, view):]
    os.close(fd)
"""


class _Unpacker:
    """Writes each bundle's files (minus Pagefind's own search UIs: static/search.js uses its API) in a helper
    process while the next bundle is indexed; one helper at a time. Creating ~3,000 files is seconds on a
    slow disk: done in turn with indexing, it made a 6,000-paper index 6 s later."""

    def __init__(self) -> None:
        self._running: tuple[subprocess.Popen, typing.BinaryIO] | None = None

    def start(self, folder: Path, files: list[tuple[str, bytes]]) -> None:
        self.wait()
        packed = tempfile.TemporaryFile(dir=folder.parent)  # no name: nothing is left if the build dies
        try:
            for name, content in files:
                if name not in UNUSED_FILES:
                    raw = _inside(name).encode("utf-8")
                    packed.write(b"%d %d\n%s" % (len(raw), len(content), raw))
                    packed.write(content)
            packed.seek(0)
            folder.mkdir(parents=True, exist_ok=True)
            argv = dies_with_us([sys.executable, "-I", "-S", "-c", _UNPACK, str(folder)])
            process = subprocess.Popen(argv, stdin=packed, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except BaseException:
            packed.close()
            raise
        self._running = (process, packed)

    def wait(self) -> None:
        """Until the last bundle is on disk; a helper that failed is an error."""
        if self._running is None:
            return
        process, packed = self._running
        try:
            _, err = process.communicate(timeout=TIMEOUT_SECONDS)
        finally:
            self.stop()
        if process.returncode != 0:
            last = (err.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
            raise PagefindError(f"its files could not be written ({last})")

    def stop(self) -> None:
        if self._running is None:
            return
        process, packed = self._running
        self._running = None
        if process.poll() is None:
            process.kill()
            process.wait()
        packed.close()
        if process.stderr is not None:
            process.stderr.close()


def bundle_folder(n: int) -> str:
    """Where bundle `n` goes, relative to pagefind/ (the first is pagefind/ itself)."""
    return "" if n == 0 else f"part-{n + 1}/"


def documents_digest(bundles: Sequence[Bundle], extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode("utf-8"))
    for n, bundle in enumerate(bundles):
        digest.update(f"\0bundle {n}\0".encode())
        for url, html in bundle:
            digest.update(url.encode("utf-8", "surrogatepass") + b"\0")
            digest.update(hashlib.sha256(html.encode("utf-8", "surrogatepass")).digest())
    return digest.hexdigest()


def _remove_leftovers(output: Path, shared: bool = True) -> None:
    """Temporary folders of a run that was killed half-way. In a `shared` folder (the project's cache, which
    two builds of two sites share: `serve` and `build`, or test workers), not those of a run still going:
    one swept the other's half-made index away. output/ is the build's own, under its output lock."""
    for path in output.iterdir():
        if path.is_dir() and path.name.startswith((TMP_PREFIX, OLD_PREFIX)):
            with _unless_in_use(path, shared) as free:
                if free:
                    shutil.rmtree(path, ignore_errors=True)


def _lock_file(folder: Path) -> Path:
    return folder.with_name(folder.name + ".lock")  # beside it: the folder itself becomes output/pagefind/


def _claim(folder: Path) -> typing.IO | None:
    """Mark `folder` as this run's: an exclusive lock on its lock file, which the system lets go when the
    process dies (even by kill -9); the file stays then, and tells the next run the folder is a leftover."""
    if fcntl is None:
        return None
    handle = open(_lock_file(folder), "w")  # noqa: SIM115  (held until _release)
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    return handle


def _release(folder: Path, handle: typing.IO | None) -> None:
    if handle is not None:
        _lock_file(folder).unlink(missing_ok=True)
        handle.close()


@contextmanager
def _unless_in_use(folder: Path, shared: bool = True) -> Iterator[bool]:
    """Whether no running build holds `folder` (and, while the block runs, none can take it)."""
    lock = _lock_file(folder)
    if fcntl is None or not shared:
        yield True
        lock.unlink(missing_ok=True)
        return
    if not lock.exists():  # made by a run of older code, or one killed before it claimed the folder
        yield time.time() - folder.stat().st_mtime > TIMEOUT_SECONDS
        return
    with open(lock, "a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
        lock.unlink(missing_ok=True)


def _swap_in(output: Path, fresh: Path) -> None:
    """Replace output/pagefind by `fresh`: two renames on one file system, then delete the old index."""
    final = output / BUNDLE_DIR
    old = None
    if final.exists() or final.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX, dir=output))
        os.rename(final, old / BUNDLE_DIR)
    os.rename(fresh, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _handed_over(bundles: list[Bundle]) -> Iterator[Bundle]:
    """Each bundle, let go by the list as it is taken. (The documents are made before, on the build's thread:
    made in the search thread as bundles were taken, they fought the page writer for the GIL, whose every
    file write then waited for it: 6,000 papers, write stage 27 s -> 60 s.)"""
    for n in range(len(bundles)):
        bundle, bundles[n] = bundles[n], []
        yield bundle


def _index_bundles(binary: Path, bundles: Iterator[Bundle], language: str, fresh: Path) -> None:
    """Each bundle by its own service, one after the other: at most one bundle's index is in memory, and
    a bundle's documents are let go once they are indexed."""
    count, unpacker = 0, _Unpacker()
    try:
        for n, bundle in enumerate(bundles):
            count = n + 1
            service = Service(binary, language)
            try:
                last = None
                for url, html in bundle:
                    last = service.add(url, html)
                files = service.files(last)
            finally:
                service.close()
            del bundle  # before the next is taken
            unpacker.start(fresh / bundle_folder(n), files)
            del files
        unpacker.wait()
    finally:
        unpacker.stop()
    extra = [bundle_folder(n) for n in range(1, count)]
    (fresh / MANIFEST).write_text(json.dumps(extra), encoding="utf-8")


class IndexJob:
    """The search index of one build: checked and planned at once, indexed in a thread while the site is
    written (Pagefind runs in its own process, so on another core), its diagnostics collected by `finish`.

    `key`: a digest of everything the documents are made from; when it (with Pagefind's version and the
    language) matches the stamp of the index in output/, `make_bundles` is not even called."""

    def __init__(self, output: Path, key: str, make_bundles: Callable[[], Sequence[Bundle]], language: str, work: Path):
        self.output, self.language, self.work = Path(output), language.lower(), Path(work)
        self.where = str(self.output)  # a folder: its messages have no line
        self.diags: list[Diagnostic] = []
        self.changed = False  # whether the index is rebuilt
        self._thread: threading.Thread | None = None
        binary, extended = _pagefind_executable()
        if binary is None:
            self.diags.append(
                error(self.where, 0, f"search index not built: Pagefind is not installed; run {INSTALL_HINT}")
            )
            return
        if not extended:
            self.diags.append(
                warning(
                    self.where, 0, f"Pagefind without the extended binary does not segment Chinese; run {INSTALL_HINT}"
                )
            )
        try:
            self.work.mkdir(parents=True, exist_ok=True)
            _remove_leftovers(self.work)
            stamp = hashlib.sha256(f"{pagefind_version(binary)}\0{self.language}\0{key}".encode()).hexdigest()
            final = self.output / BUNDLE_DIR
            if (final / "pagefind.js").is_file() and _read(final / STAMP) == stamp:
                return  # nothing to search has changed: keep the byte-identical index
        except OSError as exc:
            self.diags.append(self._failed(exc))
            return
        self.changed = True
        bundles = _handed_over([b for b in make_bundles() if b] or [[]])  # made here: not in the thread (GIL)
        self._fresh: Path | None = None
        self._claimed: tuple[Path, typing.IO | None] | None = None
        self._thread = threading.Thread(target=self._run, args=(binary, bundles, stamp), daemon=True)
        self._thread.start()

    def _failed(self, exc: Exception) -> Diagnostic:
        if isinstance(exc, PagefindError):
            return error(
                self.where, 0, f"search index not built: Pagefind failed: {exc}; the previous index (if any) is kept"
            )
        if isinstance(exc, (OSError, subprocess.SubprocessError)):
            return error(
                self.where, 0, f"search index not built: {type(exc).__name__}: {exc}; check that {INSTALL_HINT} works"
            )
        # making a document failed: a bug here, not in the installation
        return error(
            self.where, 0, f"search index not built: {type(exc).__name__}: {exc}; the previous index (if any) is kept"
        )

    def _run(self, binary: Path, bundles: Iterator[Bundle], stamp: str) -> None:
        """In the thread: index into a fresh folder of `work` (output/ may not exist yet)."""
        fresh = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=self.work))
        self._claimed = (fresh, _claim(fresh))
        try:
            _index_bundles(binary, bundles, self.language, fresh)
            if not (fresh / "pagefind.js").is_file():
                raise PagefindError("it wrote no pagefind.js")
            (fresh / STAMP).write_text(stamp, encoding="utf-8")
            self._fresh, fresh = fresh, None
        except Exception as exc:  # Pagefind, the file system, or making a document: never a silent empty index
            self.diags.append(self._failed(exc))
        finally:
            if fresh is not None:
                shutil.rmtree(fresh, ignore_errors=True)

    def finish(self) -> list[Diagnostic]:
        """Wait for the index, then put it in place as output/pagefind/ (call it once output/ is written)."""
        if self._thread is None:
            return self.diags
        self._thread.join(TIMEOUT_SECONDS)
        if self._thread.is_alive():
            self.diags.append(error(self.where, 0, f"search index not built: Pagefind took over {TIMEOUT_SECONDS} s"))
        elif self._fresh is not None:
            try:
                self._move_in(self._fresh)
            except OSError as exc:
                self.diags.append(self._failed(exc))
            finally:
                shutil.rmtree(self._fresh, ignore_errors=True)
        if not self._thread.is_alive() and self._claimed is not None:
            _release(*self._claimed)
            self._claimed = None
        return self.diags

    def _move_in(self, fresh: Path) -> None:
        """`fresh` (in `work`) becomes output/pagefind/: renamed, or copied first when `work` is on another
        file system."""
        if fresh.parent == self.output:
            _swap_in(self.output, fresh)
            return
        _remove_leftovers(self.output, shared=False)
        holder = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=self.output))
        try:
            try:
                os.rename(fresh, holder / BUNDLE_DIR)
            except OSError:
                shutil.copytree(fresh, holder / BUNDLE_DIR)
            _swap_in(self.output, holder / BUNDLE_DIR)
        finally:
            shutil.rmtree(holder, ignore_errors=True)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def write_index(output: Path, bundles: Sequence[Bundle], language: str = "zh-CN") -> list[Diagnostic]:
    """Index `bundles` into output/pagefind/ now (kept as it is when they did not change). Never raises."""
    if not Path(output).is_dir():
        return [error(str(output), 0, f"search index not built: {output} does not exist")]
    return IndexJob(output, documents_digest(bundles), lambda: bundles, language, work=output).finish()
