"""One `pagefind --service` process: started so that it dies with the build, spoken to in its own protocol.

The protocol is base64 JSON messages ended by a comma on stdin/stdout; we speak it ourselves, since the
`pagefind` Python package's client sleeps 0.1 s per response it reads (8,000 s for 80,000 documents).
search_index.py decides what goes into which service and where the index ends up.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
from pathlib import Path


def pagefind_executable() -> tuple[Path | None, bool]:
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


def dies_with_us(argv: list[str]) -> list[str]:
    """`argv` run so that Linux SIGKILLs it when this process dies (elsewhere: as it is)."""
    if not sys.platform.startswith("linux"):
        return argv
    return [sys.executable, "-I", "-S", "-c", _TRAMPOLINE, str(os.getpid()), *argv]


def pagefind_version(binary: Path) -> str:
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
            dies_with_us([str(binary), "--service"]),
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
        pending: list[bytes] = []  # the parts of a message not ended yet (GetFiles answers are megabytes)
        while chunk := self._process.stdout.read1(1 << 16):
            if b"," not in chunk:
                pending.append(chunk)
                continue
            *messages, rest = b"".join([*pending, chunk]).split(b",")
            pending = [rest] if rest else []
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
