"""The default theme and where a site's own files override it.

The theme is the checkout's top-level `templates/` and `static/` (the one copy, edited in place). A wheel
or sdist ships them inside the package as `papernotes/theme/templates` and `papernotes/theme/static`
(setup.py maps them there); a source checkout or an editable install has no such folders, so the theme
is the checkout's own. A site overrides the theme file by file: its `templates/` and `static/` come
first in every lookup (as MkDocs' `custom_dir` and Hugo's lookup order do).
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

# The folder holding the papernotes package: a checkout (or editable install), else site-packages.
TOOL_ROOT = Path(__file__).resolve().parents[2]


def theme_dir(kind: str) -> Path:
    """The default theme's `templates` or `static` folder: the installed package's, else the checkout's."""
    shipped = Path(str(importlib.resources.files(__name__) / kind))
    return shipped if shipped.is_dir() else TOOL_ROOT / kind


def _layers(project: Path, kind: str) -> list[Path]:
    own, theme = Path(project) / kind, theme_dir(kind)
    return [own] if own.resolve() == theme.resolve() else [own, theme]


def template_dirs(project: Path) -> list[Path]:
    """Where templates are looked up, first match wins: the site's `templates/`, then the theme's."""
    return _layers(project, "templates")


def static_dirs(project: Path) -> list[Path]:
    """Where static files are looked up, first match wins: the site's `static/`, then the theme's."""
    return _layers(project, "static")


def katex_root(project: Path) -> Path:
    """The folder whose `node_modules/katex` renders math: the site's, else the tool's own (the checkout or
    installation papernotes lives in); the site's when neither has it, so the error names the site folder,
    where `npm ci` / `npm install` (its package.json comes from `papernotes init`) installs it."""
    for root in (Path(project), TOOL_ROOT):
        if (root / "node_modules" / "katex" / "package.json").is_file():
            return root
    return Path(project)
