"""Full-text search: Pagefind fed the site's search documents, in bundles, beside the build.

Pagefind (the `pagefind[extended]` PyPI package, whose extended binary segments
Chinese) makes a static index + `pagefind.js`, which go into `output/pagefind/`. It is
not pointed at the written site (re-parsing 80,000 finished pages took 4.5 GB):
site/search_docs.py makes one small HTML document per searchable page (a paper's
title, authors, venue, year, topics, arXiv id and abstract; a note's text) and
this module hands them to `pagefind --service` while the writer writes.

Why the detours:
- Pagefind holds ~100 bytes of memory per byte it indexes, so the documents come
  in bundles of bounded size, each indexed by its own short-lived service process
  (memory is returned when it exits) into its own folder: the first is
  `pagefind/`, the others `pagefind/part-N/`, listed in `pagefind/bundles.json`;
  the search page merges them at query time (Pagefind's `mergeIndex`).
- The index's files are asked for (`GetFiles`) and written here, not by
  Pagefind's `WriteFiles`, which answers before its writes are flushed.
- We speak the service's protocol (base64 JSON messages ended by a comma on
  stdin/stdout) ourselves: the `pagefind` Python package's client sleeps 0.1 s
  per response it reads, i.e. 8,000 s for 80,000 documents.
- The index is built into a fresh temporary folder inside output/ and then
  renamed into place, so a run never mixes old and new fragments, a failed run
  keeps the previous index, and nothing stale survives.
- Pagefind's files are not byte-stable between runs (Rust hash-map order), so the
  bundle keeps a digest of the documents it was made from and an unchanged site
  keeps its byte-identical index at no cost.
- Problems come back as Diagnostics; nothing here raises into the build. On Linux
  a Pagefind process dies with the build that started it (even one killed with
  `kill -9`), and the next build sweeps the temporary folders.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from pathlib import Path

from .diagnostics import Diagnostic, error, warning

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


def _pagefind_executable() -> tuple[Path | None, bool]:
    """(binary, is_extended). The binary ships inside the PyPI wheel; no network is needed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None, False
    binary = get_executable()
    if binary is None:
        return None, False
    return Path(binary), "extended" in Path(binary).name or "pagefind_bin_extended" in str(binary)


# Sets the death signal, then becomes the command. A `preexec_fn` would do the same, but it makes Python fork
# the whole build (1.2 GB at 27,000 papers) for each service instead of vfork: for a moment the copy counts
# as another 1.2 GB resident process, and copying its page tables costs the build's time.
_TRAMPOLINE = (
    "import os, signal, sys\n"
    "try:\n"
    "    import ctypes\n"
    "    ctypes.CDLL(None).prctl(1, signal.SIGKILL)\n"  # PR_SET_PDEATHSIG
    "except (ImportError, OSError, AttributeError):\n"
    "    pass\n"
    "if os.getppid() != int(sys.argv[1]): os._exit(1)\n"  # the build died before the line above
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


def _dies_with_us(argv: list[str]) -> list[str]:
    """`argv` run so that Linux SIGKILLs it when this process dies (elsewhere: as it is)."""
    if not sys.platform.startswith("linux"):
        return argv
    return [sys.executable, "-I", "-S", "-c", _TRAMPOLINE, str(os.getpid()), *argv]


def _version(binary: Path) -> str:
    try:
        done = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=60)
        return done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


class PagefindError(Exception):
    pass


class Service:
    """One `pagefind --service` process and one index in it: add documents, write the index, exit."""

    def __init__(self, binary: Path, language: str):
        self._process = subprocess.Popen(
            _dies_with_us([str(binary), "--service"]),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._answers: dict[int | None, dict] = {}
        self._ready = threading.Condition()
        self._closed = False
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._index = self._wait(self._send({"type": "NewIndex", "config": {"force_language": language}}))["index_id"]

    def _send(self, payload: dict) -> int:
        self._next_id += 1
        message = {"message_id": self._next_id, "payload": payload}
        try:
            self._process.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
        except OSError as exc:
            raise PagefindError(f"the Pagefind service stopped ({exc})") from None
        return self._next_id

    def _read(self) -> None:
        rest = b""
        while chunk := self._process.stdout.read1(1 << 16):
            rest += chunk
            *messages, rest = rest.split(b",")
            for raw in messages:
                answer = json.loads(base64.b64decode(raw))
                with self._ready:
                    self._answers[answer.get("message_id")] = answer["payload"]
                    self._ready.notify_all()
        with self._ready:
            self._closed = True
            self._ready.notify_all()

    def _wait(self, message_id: int) -> dict:
        try:
            self._process.stdin.flush()
        except OSError as exc:
            raise PagefindError(f"the Pagefind service stopped ({exc})") from None
        with self._ready:
            self._ready.wait_for(lambda: message_id in self._answers or None in self._answers or self._closed)
            answer = self._answers.pop(message_id, None) or self._answers.pop(None, None)
        if answer is None:
            raise PagefindError(f"the Pagefind service exited (status {self._process.poll()})")
        if answer.get("type") == "Error":
            raise PagefindError(answer.get("message", "unknown error"))
        return answer

    def add(self, url: str, html: str) -> int:
        """Queue a document; answers are checked when the index is written (errors name the first)."""
        return self._send(
            {"type": "AddFile", "index_id": self._index, "url": url, "file_contents": html, "file_path": None}
        )

    def files(self, last_added: int | None) -> list[tuple[str, bytes]]:
        """The finished index as (path relative to the bundle, content) pairs.

        Not `WriteFiles`: Pagefind writes through tokio files without flushing them, so its answer can come
        before the bytes are on disk, and a service that exits right after may leave a file cut short (seen
        as a `wasm.unknown.pagefind` that differed between two builds under load). We write them ourselves."""
        if last_added is not None:
            self._wait(last_added)  # answers come in order: every document before it is in
            failed = [a for a in self._answers.values() if a.get("type") == "Error"]
            if failed:
                raise PagefindError(failed[0].get("message", "a document was refused"))
        answer = self._wait(self._send({"type": "GetFiles", "index_id": self._index}))
        return [(f["path"], base64.b64decode(f["content"])) for f in answer.get("files", ())]

    def close(self) -> None:
        try:
            self._process.stdin.close()
        except OSError:
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(5)


def _inside(path: str) -> str:
    """A file name Pagefind gave: relative and below its bundle, or the index is refused."""
    parts = Path(path).parts
    if not parts or Path(path).is_absolute() or ".." in parts:
        raise PagefindError(f"it named a file outside its bundle: {path!r}")
    return path


def _write_bundle(folder: Path, files: list[tuple[str, bytes]]) -> None:
    for name, content in files:
        if name in UNUSED_FILES:  # Pagefind's own search UIs: static/search.js uses only its API
            continue
        target = folder / _inside(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as handle:  # a fresh folder: nothing is there to replace or follow
            handle.write(content)


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


def _remove_leftovers(output: Path) -> None:
    """Temporary folders of a run that was killed half-way."""
    for path in output.iterdir():
        if path.is_dir() and path.name.startswith((TMP_PREFIX, OLD_PREFIX)):
            shutil.rmtree(path, ignore_errors=True)


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


def _index_bundles(binary: Path, bundles: Iterator[Bundle], language: str, fresh: Path) -> None:
    """Each bundle by its own service, one after the other: at most one bundle's index is in memory, and
    a bundle is taken from `bundles` (which may make it then) only once the one before is let go."""
    count = 0
    for n, bundle in enumerate(chain((b for b in bundles if b), [[]])):
        if n and not bundle:
            break  # the empty bundle is there only for a site with nothing to search
        count = n + 1
        service = Service(binary, language)
        try:
            last = None
            for url, html in bundle:
                last = service.add(url, html)
            files = service.files(last)
        finally:
            service.close()
        del bundle  # before the next is made
        _write_bundle(fresh / bundle_folder(n), files)
        del files
    extra = [bundle_folder(n) for n in range(1, count)]
    (fresh / MANIFEST).write_text(json.dumps(extra), encoding="utf-8")


class IndexJob:
    """The search index of one build: checked and planned at once, indexed in a thread while the site is
    written (Pagefind runs in its own process, so on another core), its diagnostics collected by `finish`.

    `key`: a digest of everything the documents are made from; when it (with Pagefind's version and the
    language) matches the stamp of the index in output/, `make_bundles` is not even called."""

    def __init__(self, output: Path, key: str, make_bundles: Callable[[], Iterable[Bundle]], language: str, work: Path):
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
            stamp = hashlib.sha256(f"{_version(binary)}\0{self.language}\0{key}".encode()).hexdigest()
            final = self.output / BUNDLE_DIR
            if (final / "pagefind.js").is_file() and _read(final / STAMP) == stamp:
                return  # nothing to search has changed: keep the byte-identical index
        except OSError as exc:
            self.diags.append(self._failed(exc))
            return
        self.changed = True
        bundles = iter(make_bundles())  # made on this thread; each bundle's documents may be made as it is taken
        self._fresh: Path | None = None
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
        return self.diags

    def _move_in(self, fresh: Path) -> None:
        """`fresh` (in `work`) becomes output/pagefind/: renamed, or copied first when `work` is on another
        file system."""
        if fresh.parent == self.output:
            _swap_in(self.output, fresh)
            return
        _remove_leftovers(self.output)
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
