"""The fingerprints of the last good build, kept beside the caches: a warm build in a new process
renders only the pages whose fingerprint changed (the dev server keeps the same in memory).

A state is valid only for the same code (our package and the KaTeX version) and output folder;
templates, config and content are inside each page's fingerprint. The state is removed when a
build starts and written when it ends without errors, so a killed or failed build leaves none
and the next build renders everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

STATE_VERSION = "2"


def code_digest(project: Path) -> str:
    """Our package and the KaTeX version: what turns the same inputs into pages."""
    digest = hashlib.sha256(STATE_VERSION.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".js", ".yaml")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    katex = project / "node_modules" / "katex" / "package.json"
    digest.update(katex.read_bytes() if katex.is_file() else b"no katex")
    return digest.hexdigest()


def _state_path(cache_dir: Path, output: Path) -> Path:
    name = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return cache_dir / "state" / f"{name}.json"


def load_state(cache_dir: Path, output: Path, key: str) -> tuple[dict[str, str], bool] | None:
    """(output path -> fingerprint, whether that build also indexed the search), or None."""
    try:
        state = json.loads(_state_path(cache_dir, output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("key") != key or not isinstance(state.get("pages"), dict):
        return None
    return state["pages"], bool(state.get("indexed"))


def save_state(cache_dir: Path, output: Path, key: str, fingerprints: dict[str, str], indexed: bool) -> None:
    path = _state_path(cache_dir, output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"key": key, "indexed": indexed, "pages": fingerprints}, sort_keys=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        pass  # without a state the next build renders everything: slower, never wrong


def forget_state(cache_dir: Path, output: Path) -> None:
    try:
        _state_path(cache_dir, output).unlink()
    except OSError:
        pass
