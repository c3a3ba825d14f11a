"""`papernotes init DIR` (a ready notes repository) and `papernotes new note|post TITLE` (one new document).

`init` copies the package's `init-site/` folder (a name that is no Python identifier, so setuptools does
not take its folders for packages); files starting with a dot (setuptools' globs skip them) are stored
as `dot-NAME` and written as `.NAME`. Neither command ever overwrites a file.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import shlex
import sys
from pathlib import Path

import yaml
from pypinyin import Style, lazy_pinyin

from ..config import load_config, site_timezone
from ..site.urls import slugify

EXIT_REFUSED = 2  # nothing was written
SCAFFOLD = "init-site"
DOT = "dot-"


def pinyin_slug(title: str) -> str:
    """A readable ASCII slug: Chinese characters as toneless pinyin, one word each, the rest as
    site/urls.py slugifies it ("DDPM 扩散模型" -> "ddpm-kuo-san-mo-xing")."""
    return slugify("-".join(lazy_pinyin(title, style=Style.NORMAL, errors="default")))


def scaffold_files() -> dict[str, Path]:
    """What `init` writes: path in the new repository -> the shipped file."""
    root = Path(str(importlib.resources.files("papernotes") / SCAFFOLD))
    files = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        parts = [("." + p.removeprefix(DOT)) if p.startswith(DOT) else p for p in path.relative_to(root).parts]
        files["/".join(parts)] = path
    return files


def run_init(target: Path, stream=None) -> int:
    """Write a notes repository into `target` (created if missing); refuse if any file it would write,
    or a site_src/ folder, is there already."""
    stream, err = stream or sys.stdout, sys.stderr
    files = scaffold_files()
    if target.exists() and not target.is_dir():
        print(f"papernotes: {target} is a file, not a folder; nothing was written", file=err)
        return EXIT_REFUSED
    taken = sorted({rel for rel in files if (target / rel).exists() or (target / rel).is_symlink()})
    if (target / "site_src").exists():
        taken = ["site_src/", *taken]
    if taken:
        shown = ", ".join(taken[:5]) + (f" and {len(taken) - 5} more" if len(taken) > 5 else "")
        print(f"papernotes: {target} already holds {shown}; nothing was written (init never overwrites)", file=err)
        return EXIT_REFUSED
    for rel, shipped in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as out:  # "x": a file that appeared meanwhile is not overwritten
            out.write(shipped.read_bytes())
    print(f"wrote a notes site to {target}; next:", file=stream)
    print(f"  cd {shlex.quote(str(target))} && npm install && papernotes serve", file=stream)
    return 0


def front_matter(title: str, moment: dt.datetime, slug: str) -> str:
    head = yaml.safe_dump({"title": title}, allow_unicode=True, width=10_000, sort_keys=False)
    return f"---\n{head}date: {moment.isoformat(sep=' ')}\ntags: []\nslug: {slug}\n---\n\n"


def new_document(source: Path, kind: str, title: str, now: dt.datetime | None = None) -> Path:
    """Write `<notes_dir or posts_dir>/<slug>.md` under `source` with front matter; a slug already taken
    gets -2, -3, ... Returns the path written."""
    config, _ = load_config(source)
    folder = source / (config.notes_dir if kind == "note" else config.posts_dir)
    zone = site_timezone(config)
    moment = (now.astimezone(zone) if now else dt.datetime.now(zone)).replace(microsecond=0)
    base = pinyin_slug(title)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, 10_000):
        slug = base if n == 1 else f"{base}-{n}"
        path = folder / f"{slug}.md"
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as out:
                out.write(front_matter(title, moment, slug))
            return path
        except FileExistsError:
            continue
    raise FileExistsError(folder / f"{base}.md")


def run_new(source: Path, kind: str, title: str, stream=None) -> int:
    if not source.is_dir():
        print(
            f"papernotes: no site here ({source} does not exist); make one with `papernotes init DIR`",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    path = new_document(source, kind, title)
    try:
        shown = path.relative_to(Path.cwd())
    except ValueError:
        shown = path
    print(shown, file=stream or sys.stdout)
    return 0
