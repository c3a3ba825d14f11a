"""Build-time KaTeX: a persistent node process plus a content-addressed cache.

This is the only module that knows node and the npm package exist.  Rendering
goes through one `node katex_worker.js` per renderer, started lazily on the first
cache miss, fed JSON-line batches (one line out, one line back) so process start
and IPC are paid once per build, not per formula.  Results, errors included, are
kept in one sqlite file keyed by sha256(katex version, options, display, tex), so
a warm rebuild starts no process at all.

Faults cost time, never the build: a batch has a deadline (a worker that does not
answer is killed and started once more, then the caller falls back to showing the
TeX), and the cache is skipped or started afresh when it is locked by another
build for too long or its file is not a database.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .mathml import for_mathml_core

MATHML_PASS = hashlib.sha256(Path(__file__).with_name("mathml.py").read_bytes()).hexdigest()[:16]

# strict "ignore": notes are full of Unicode and \\ outside environments; we want
# output, not warnings.  MathML (render/mathml.py makes it MathML Core) keeps the TeX in
# <annotation> for copy/paste, at a quarter of the bytes and time of "htmlAndMathml".
KATEX_OPTIONS = {"throwOnError": True, "strict": "ignore", "output": "mathml"}
WORKER = Path(__file__).with_name("katex_worker.js")
BATCH_SIZE = 2000  # bounds the size of one JSON line each way
# A batch's deadline: generous (a loaded 2-core machine renders ~1,000 formulas a second), so only a
# worker that is stuck misses it.
BATCH_SECONDS = 20.0
SECONDS_PER_FORMULA = 0.02
LOCK_SECONDS = 5.0  # how long to wait for another build's write to the cache before skipping it


class KatexUnavailable(Exception):
    """Node or the katex npm package is missing, or the worker died; the message says how to fix it."""


@dataclass(frozen=True)
class MathResult:
    html: str | None
    error: str | None


def katex_dir(project_root: Path) -> Path:
    """The installed katex package, or KatexUnavailable naming the fix."""
    root = Path(project_root).resolve()
    package = root / "node_modules" / "katex"
    if not (package / "package.json").is_file():
        raise KatexUnavailable(
            f"the npm package katex is not installed in {root / 'node_modules'}: run `npm ci` in {root}"
        )
    return package


class KatexRenderer:
    """Render (tex, display) pairs to HTML; use as a context manager or call close()."""

    def __init__(self, project_root: Path, cache_dir: Path):
        self.katex_path = katex_dir(project_root)
        self.katex_version = json.loads((self.katex_path / "package.json").read_text("utf-8"))["version"]
        self.processes_started = 0
        self._options_json = json.dumps(KATEX_OPTIONS, sort_keys=True)
        self._cache = _Cache(Path(cache_dir))
        self._proc: subprocess.Popen | None = None
        self._stderr = None
        self._finalizer = None
        self._restarts_left = 1  # a worker that missed a deadline is started once more
        self._broken: str | None = None  # why this renderer gave up: every later batch fails at once

    def render(self, items: Iterable[tuple[str, bool]]) -> dict[tuple[str, bool], MathResult]:
        wanted = sorted(set((tex, bool(display)) for tex, display in items))
        keys = {item: self._key(*item) for item in wanted}
        results = self._cache.get_many(keys)
        missing = [item for item in wanted if item not in results]
        for start in range(0, len(missing), BATCH_SIZE):
            batch = missing[start : start + BATCH_SIZE]
            rendered = dict(zip(batch, self._render_batch(batch)))
            self._cache.put_many({keys[item]: result for item, result in rendered.items()})
            results.update(rendered)
        return results

    def _key(self, tex: str, display: bool) -> str:
        material = json.dumps([self.katex_version, self._options_json, MATHML_PASS, display, tex], ensure_ascii=False)
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    # -- the node process --------------------------------------------------

    def _render_batch(self, batch: list[tuple[str, bool]]) -> list[MathResult]:
        if self._broken:
            raise KatexUnavailable(self._broken)
        payload = json.dumps(batch, ensure_ascii=False).encode("utf-8") + b"\n"
        seconds = BATCH_SECONDS + SECONDS_PER_FORMULA * len(batch)
        line = self._exchange(self._process(), payload, seconds)
        if line is None and self._restarts_left > 0:  # killed at the deadline: one more worker, once
            self._restarts_left -= 1
            line = self._exchange(self._process(), payload, seconds)
        if line is None:
            self._broken = (
                f"the KaTeX worker did not answer a batch of {len(batch)} formulas within {seconds:.0f}s "
                "(killed, twice)"
            )
            raise KatexUnavailable(self._broken)
        if not line:
            raise KatexUnavailable(self._death_message())
        try:
            reply = json.loads(line)
        except ValueError:
            reply = None
        if not isinstance(reply, list) or len(reply) != len(batch) or not all(isinstance(r, dict) for r in reply):
            raise KatexUnavailable(
                f"the KaTeX worker sent a malformed reply: {line[:200].decode('utf-8', 'replace')!r}"
            )
        return [
            MathResult(for_mathml_core(r["html"], display) if r.get("html") else None, r.get("error"))
            for (_, display), r in zip(batch, reply)
        ]

    def _exchange(self, proc: subprocess.Popen, payload: bytes, seconds: float) -> bytes | None:
        """Send one batch and read its reply line within `seconds`: the line, b"" if the worker died, or
        None if it missed the deadline (it is killed then, and forgotten).

        The pipes block (a full stdin pipe blocks the write too), so a helper thread talks and this one
        waits; killing the worker ends the helper's read with EOF."""
        reply: list[bytes] = []

        def talk() -> None:
            try:
                proc.stdin.write(payload)
                proc.stdin.flush()
                reply.append(proc.stdout.readline())
            except (OSError, ValueError):  # a broken pipe, or the streams closed under us
                reply.append(b"")

        helper = threading.Thread(target=talk, name="papernotes-katex", daemon=True)
        helper.start()
        helper.join(seconds)
        if not helper.is_alive():
            return reply[0] if reply else b""
        self._discard()
        helper.join(5)
        return None

    def _discard(self) -> None:
        """Kill the worker and forget it. Its pipes are left to the GC: the helper may still hold them."""
        proc, self._proc = self._proc, None
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if proc is not None:
            try:
                proc.kill()
                proc.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _process(self) -> subprocess.Popen:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        if self._proc is not None:
            raise KatexUnavailable(self._death_message())
        node = shutil.which("node")
        if node is None:
            raise KatexUnavailable("node not found on PATH: install Node.js 18+")
        # stderr goes to a file, not a pipe nobody reads (which could block node).
        # Binary pipes: text-mode readline decodes a multi-MB reply in small chunks
        # and cost more than KaTeX itself; json.loads takes the UTF-8 bytes directly.
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(
            [node, str(WORKER), str(self.katex_path), self._options_json],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self.processes_started += 1
        # Safety net for renderers that are never closed: runs at GC or interpreter exit.
        self._finalizer = weakref.finalize(self, _stop, self._proc)
        return self._proc

    def _death_message(self) -> str:
        code = None
        if self._proc is not None:
            try:
                code = self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # alive but mute: do not leave it behind
                _stop(self._proc)
                code = self._proc.returncode
        detail = ""
        if self._stderr is not None:
            self._stderr.seek(0)
            detail = self._stderr.read().decode("utf-8", "replace").strip()[-1000:]
        return f"the KaTeX node worker exited (code {code}) during a batch" + (f": {detail}" if detail else "")

    def close(self) -> None:
        if self._finalizer is not None:
            self._finalizer()  # calls _stop once, then detaches
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        self._cache.close()

    def __enter__(self) -> KatexRenderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _stop(proc: subprocess.Popen) -> None:
    """End the worker: EOF on stdin lets it exit cleanly; escalate if it does not."""
    if proc.poll() is None:
        try:
            proc.stdin.close()
            proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
    for stream in (proc.stdin, proc.stdout):
        if stream and not stream.closed:
            try:
                stream.close()
            except OSError:
                pass


class _Cache:
    """sha256 key -> MathResult in one sqlite file (one file per formula would mean
    thousands of tiny files); opened lazily so a renderer that is never used
    creates nothing.

    Only ever costs time: a file that is not a database (or is damaged) is removed and
    started again; a database another build keeps locked past LOCK_SECONDS (twice), or
    one that cannot be written at all, is not used for the rest of this renderer's life.
    """

    def __init__(self, cache_dir: Path):
        self.path = cache_dir / "katex.sqlite3"
        self._db: sqlite3.Connection | None = None
        self._off = False

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=LOCK_SECONDS, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")  # parallel builds may share the cache
            self._db.execute("CREATE TABLE IF NOT EXISTS math (key TEXT PRIMARY KEY, html TEXT, error TEXT)")
        return self._db

    def _use(self, action, empty):
        """action(connection), or `empty` when the cache cannot be used right now."""
        tries = 2
        while not self._off and tries:
            tries -= 1
            try:
                return action(self._connect())
            except sqlite3.OperationalError as exc:  # locked, read-only, disk full, cannot open ...
                self.close()
                if "locked" not in str(exc) and "busy" not in str(exc):
                    break
                time.sleep(0.05)
            except sqlite3.DatabaseError:  # "file is not a database", "database disk image is malformed"
                self._start_again()
            except OSError:  # the cache folder cannot be made
                break
        self._off = True
        return empty

    def _start_again(self) -> None:
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                Path(f"{self.path}{suffix}").unlink()
            except OSError:
                pass

    def get_many(self, keys: dict) -> dict:
        """{item: key} -> {item: MathResult} for the keys that are cached."""
        if not keys:
            return {}
        by_key = {key: item for item, key in keys.items()}
        key_list = list(by_key)

        def read(db: sqlite3.Connection) -> dict:
            found = {}
            for start in range(0, len(key_list), 500):  # stay under sqlite's variable limit
                chunk = key_list[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, html, error in db.execute(f"SELECT key, html, error FROM math WHERE key IN ({marks})", chunk):
                    if key in by_key and (html is None or isinstance(html, str)):
                        found[by_key[key]] = MathResult(html, error if isinstance(error, str) else None)
            return found

        return self._use(read, {})

    def put_many(self, rows: dict) -> None:
        def write(db: sqlite3.Connection) -> None:
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO math (key, html, error) VALUES (?, ?, ?)",
                    [(key, r.html, r.error) for key, r in rows.items()],
                )

        if rows:
            self._use(write, None)

    def close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None


# -- static assets ----------------------------------------------------------


MATH_FONT = "@fontsource/stix-two-math"  # STIX Two Math: the MATH table MathML layout needs, SIL OFL 1.1
_MATH_CSS = """/* Formulas are MathML, rendered by KaTeX at build time; STIX Two Math (OFL.txt) draws them. */
@font-face{font-family:"STIX Two Math";font-style:normal;font-weight:400;font-display:swap;\
src:url(stix-two-math.woff2) format("woff2")}
math{font-family:"STIX Two Math",math}
"""


def math_assets(project_root: Path) -> dict[str, Path | bytes]:
    """Name under static/ (urls.static gives the output path) -> file or bytes: the stylesheet of pages with
    math, the math font and its licence; KatexUnavailable naming the fix when the font package is missing."""
    package = Path(project_root).resolve() / "node_modules" / MATH_FONT
    font = package / "files" / "stix-two-math-latin-400-normal.woff2"
    if not font.is_file():
        raise KatexUnavailable(f"the npm package {MATH_FONT} is not installed in {package.parent.parent}: run `npm ci`")
    return {
        "math/math.css": _MATH_CSS.encode("utf-8"),
        "math/stix-two-math.woff2": font,
        "math/OFL.txt": package / "LICENSE",
    }
