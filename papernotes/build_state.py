"""What the last successful build saw, kept beside the caches so a warm build in a new process
re-renders only the pages whose inputs changed (the dev server keeps the same in memory).

The state is valid only for the same code, templates, KaTeX version, configuration and output
folder; anything else, or a previous build with errors, means a full render.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

STATE_VERSION = "1"


def code_digest(project: Path) -> str:
    """Our package, the templates and the KaTeX version: what turns the same inputs into pages."""
    digest = hashlib.sha256(STATE_VERSION.encode())
    package = Path(__file__).resolve().parent
    roots = [package, project / "templates"]
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".js", ".yaml", ".html")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    katex = project / "node_modules" / "katex" / "package.json"
    digest.update(katex.read_bytes() if katex.is_file() else b"no katex")
    return digest.hexdigest()


def _state_path(cache_dir: Path, output: Path) -> Path:
    name = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return cache_dir / "state" / f"{name}.json"


def load_state(cache_dir: Path, output: Path, key: str) -> dict | None:
    try:
        state = json.loads(_state_path(cache_dir, output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if state.get("key") == key else None


def save_state(cache_dir: Path, output: Path, key: str, signature: str, digests: dict[str, str]) -> None:
    path = _state_path(cache_dir, output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"key": key, "signature": signature, "digests": digests}, fh)
        os.replace(tmp, path)
    except OSError:
        pass  # without a state the next build renders everything: slower, never wrong


def forget_state(cache_dir: Path, output: Path) -> None:
    try:
        _state_path(cache_dir, output).unlink()
    except OSError:
        pass
