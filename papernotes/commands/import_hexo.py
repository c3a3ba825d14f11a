"""`papernotes import hexo BLOG_DIR [--site DIR] [--keep-urls]`: a whole Hexo blog moves into DIR/site_src/.

The I/O edge of papernotes/hexo/ (which decides everything): it walks the blog's `source/` (symlinks
that leave the blog are not followed), asks git for the dates Hexo took from files, plans every
file to write, and writes only when none of them exists yet — exit 2 and nothing written otherwise.
Nothing is written outside DIR/site_src/. The report goes to standard output.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from ..diagnostics import INFO as INFO_LEVEL
from ..diagnostics import Diagnostic, error
from ..hexo.config import CONFIG_NAME, HexoConfig, read_config
from ..hexo.convert import plan_page, plan_post, read_post, written_date
from ..hexo.layout import DRAFTS, POSTS, SITE_CONFIG, builder_page_url, page_url, place
from ..hexo.report import ImportReport
from ..site.permalinks import post_slug
from .common import printable

EXIT_REFUSED = 2
SHOWN_REFUSALS = 20
CNAME = "CNAME"  # GitHub Pages' custom domain: papernotes writes it from site.yaml's `cname:`


def run_import(blog: Path, site: Path, keep_urls: bool) -> int:
    blog, target = Path(blog).expanduser(), Path(site).expanduser() / "site_src"
    for needed in (blog / CONFIG_NAME, blog / "source"):
        if not (needed.is_file() if needed.name == CONFIG_NAME else needed.is_dir()):
            shown = printable(str(needed))
            print(f"{shown}: error: not found; is {printable(str(blog))} a Hexo blog?", file=sys.stderr)
            return EXIT_REFUSED
    for needed in (blog / CONFIG_NAME, blog / "source"):
        if not needed.resolve().is_relative_to(blog.resolve()):
            print(f"{printable(str(needed))}: error: a symlink out of the blog; not followed", file=sys.stderr)
            return EXIT_REFUSED
    report = ImportReport()
    config_text, problem = _read_text(blog / CONFIG_NAME)
    config, diags = read_config(config_text or "", str(blog / CONFIG_NAME))
    report.problems += diags + ([error(str(blog / CONFIG_NAME), 1, problem)] if problem else [])
    files = _walk(blog.resolve(), blog / "source", "", report, set())
    writes = _plan(blog, target, files, config, keep_urls, report)
    cname = _cname(writes.pop(CNAME, None), report)
    if (target / SITE_CONFIG).exists():
        report.site_yaml = f"kept: {target / SITE_CONFIG} exists (not overwritten; see the keys below)"
        keys = _site_yaml(config, keep_urls, cname).replace("\n", "; ")
        report.problems.append(Diagnostic(str(target / SITE_CONFIG), 1, INFO_LEVEL, keys))
    else:
        writes[SITE_CONFIG] = _site_yaml(config, keep_urls, cname).encode("utf-8")
        report.site_yaml = "written"
    refused = _refusals(target, writes)
    if refused:
        for line in refused[:SHOWN_REFUSALS]:
            print(printable(line), file=sys.stderr)
        if len(refused) > SHOWN_REFUSALS:
            print(f"… and {len(refused) - SHOWN_REFUSALS} more", file=sys.stderr)
        print(f"nothing written: {len(refused)} file(s) of the import are in the way", file=sys.stderr)
        return EXIT_REFUSED
    failed = _write(target, writes)
    for line in report.lines(str(blog), str(target)):
        print(printable(line))
    if failed:
        print(f"error: {failed}", file=sys.stderr)
        return 1
    return 0


# -- reading the blog ------------------------------------------------------------------------------


def _walk(root: Path, folder: Path, prefix: str, report: ImportReport, seen: set[Path]) -> list[tuple[str, Path]]:
    """(path under source/, path) of every file, symlinks inside the blog followed once."""
    found: list[tuple[str, Path]] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        report.problems.append(error(str(folder), 1, f"cannot read folder: {exc.strerror}"))
        return found
    for entry in entries:
        rel, path = prefix + entry.name, Path(entry.path)
        hidden = entry.name.startswith(("_", ".")) and not (not prefix and entry.name in (POSTS, DRAFTS))
        if hidden:
            report.counts["skipped"] += 1
            report.problems.append(Diagnostic(str(path), 1, INFO_LEVEL, "skipped, as Hexo skips names with _ or ."))
            continue
        real = path.resolve()
        if not real.is_relative_to(root):  # a symlink here, or above (source/ itself)
            report.problems.append(error(str(path), 1, f"symlink to {real}, outside the blog: not followed"))
            continue
        if entry.is_symlink() and not real.exists():
            report.problems.append(error(str(path), 1, "broken symlink: skipped"))
            continue
        if real.is_dir():
            if real not in seen:
                seen.add(real)
                found += _walk(root, path, rel + "/", report, seen)
        elif real.is_file():
            found.append((rel, path))
    return found


def _read_text(path: Path) -> tuple[str | None, str]:
    try:
        return path.read_bytes().decode("utf-8"), ""
    except OSError as exc:
        return None, f"cannot read: {exc.strerror}"
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 (byte {exc.start}): copied as it is, front matter not checked"


def _file_date(blog: Path, path: Path, zone: dt.tzinfo) -> tuple[dt.datetime, str]:
    """The date Hexo gave an undated post: the file's last commit (git), else its mtime."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(blog), "log", "-1", "--format=%cI", "--"]
            + [str(path.relative_to(blog))],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if done.returncode == 0 and done.stdout.strip():
            return dt.datetime.fromisoformat(done.stdout.strip()).astimezone(zone), "git"
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return dt.datetime.fromtimestamp(int(path.stat().st_mtime), zone), "mtime"


# -- planning --------------------------------------------------------------------------------------


def _plan(blog: Path, target: Path, files, config: HexoConfig, keep_urls: bool, report) -> dict[str, bytes | Path]:
    """Every file to write under site_src/ (`target`) -> its bytes (or the file to copy)."""
    writes: dict[str, bytes | Path] = {}
    documents = []  # (placement, rel, path, text)
    for rel, path in files:
        placement = place(rel)
        if placement.kind == "skip":
            report.counts["skipped"] += 1
            report.problems.append(Diagnostic(str(path), 1, INFO_LEVEL, placement.note))
            continue
        if placement.note:
            report.problems.append(Diagnostic(str(target / placement.target), 1, INFO_LEVEL, placement.note))
        if placement.kind in ("post", "draft", "page"):
            text, problem = _read_text(path)
            if text is not None:
                documents.append((placement, rel, path, text))
                continue
            report.problems.append(error(str(target / placement.target), 1, problem))
        report.counts[{"asset": "assets", "static": "static"}.get(placement.kind, placement.kind + "s")] += 1
        writes[placement.target] = path
    known = frozenset(_post_names(documents, config))
    owner: dict[str, str] = {}  # old URL -> the file that keeps it
    for placement, rel, path, text in documents:
        out = str(target / placement.target)
        source = read_post(out, text)
        if placement.kind == "page":
            page_rel = placement.target.removeprefix("pages/")
            plan = plan_page(source, text, out, page_url(rel), builder_page_url(page_rel), known)
        else:
            under = rel.split("/", 1)[1]
            date, origin = written_date(source, under, config)
            if not origin and placement.kind == "post":
                date, origin = _file_date(blog, path, config.zone())
            if origin in ("git", "mtime", "file name") and source.meta.get("date") in (None, ""):
                report.dated[origin] += 1
            args = (source, text, under, out, config, date, keep_urls, placement.kind == "draft", known)
            plan = plan_post(*args)
            if plan.old_url and plan.old_url in owner:
                plan = plan_post(*args, alias=False)
                taken = f"its old URL {plan.old_url} is also that of {owner[plan.old_url]} (Hexo kept only one)"
                report.problems.append(error(out, 1, taken))
            elif plan.old_url:
                owner[plan.old_url] = out
            if placement.kind == "post":  # what the site will show: drafts are not published
                report.tags += plan.tags
                report.categories += plan.categories
        report.counts[placement.kind + "s"] += 1
        report.counts["redirects"] += plan.kept_by == "alias"
        report.counts["pattern"] += plan.kept_by == "pattern"
        report.counts["pinned"] += plan.kept_by == "permalink" and keep_urls
        report.problems += plan.diagnostics
        writes[placement.target] = plan.text.encode("utf-8")
    return writes


def _post_names(documents, config: HexoConfig):
    """What `{% post_link name %}` may name: a post's slug (Hexo's) or its title."""
    for placement, rel, _, text in documents:
        if placement.kind == "post":
            yield post_slug(config.new_post_name, rel.split("/", 1)[1])
            title = read_post("", text).meta.get("title")
            if title:
                yield str(title)


def _cname(path: bytes | Path | None, report: ImportReport) -> str:
    """source/CNAME's domain, which becomes site.yaml's `cname:` (the build writes output/CNAME)."""
    if not isinstance(path, Path):
        return ""
    report.counts["static"] -= 1
    text, _ = _read_text(path)
    domain = (text or "").strip().split("\n")[0].strip()
    if domain:
        report.problems.append(Diagnostic(str(path), 1, INFO_LEVEL, f"not copied: site.yaml says cname: {domain}"))
    return domain


def _site_yaml(config: HexoConfig, keep_urls: bool, cname: str = "") -> str:
    values = {
        "title": config.title,
        "description": config.description or config.subtitle,
        "author": config.author,
        "language": config.language or "zh-CN",
        "timezone": config.timezone,
        "base_url": config.base_url,
        "cname": cname,
    }
    if keep_urls:
        values["permalink"] = config.permalink
    lines = ["# Imported from a Hexo blog by `papernotes import hexo`."]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items() if value]
    return "\n".join(lines) + "\n"


# -- writing ---------------------------------------------------------------------------------------


def _refusals(target: Path, writes: dict[str, bytes | Path]) -> list[str]:
    """Why the import cannot write: files in the way, or paths that would leave site_src/."""
    base = target.resolve()
    out = []
    for rel in sorted(writes):
        path = target / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute() or not path.resolve().is_relative_to(base):
            out.append(f"{path}: error: would be written outside {target}")
        elif path.exists() or path.is_symlink():
            out.append(f"{path}: error: exists already")
    return out


def _write(target: Path, writes: dict[str, bytes | Path]) -> str:
    """Write every file (never replacing one); the first failure, or ""."""
    base = target.resolve() if target.exists() else None
    for rel in sorted(writes):
        path = target / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            base = base or target.resolve()
            if not path.parent.resolve().is_relative_to(base):
                return f"{path}: would be written outside {target}"
            data = writes[rel]
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data if isinstance(data, bytes) else data.read_bytes())
        except OSError as exc:
            return f"{path}: cannot write: {exc.strerror}"
    return ""
