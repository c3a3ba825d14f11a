"""STYLE rule 10: layers import one way (sources -> model -> render -> site -> write; dev and cli on top)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "papernotes"
# Every module's layer, bottom first. A module imports only from its own layer or lower ones.
LAYERS = [
    # Vocabulary everyone shares (theme: where the default theme is; stages: what a build is doing; heap: memory).
    {"diagnostics", "memo", "config", "theme", "stages", "heap"},
    {"sources"},  # pure readers: text -> records
    {"content"},  # the only input I/O: walks site_src/, hands text to the readers
    {"model"},  # records -> papers, topics, links
    {"export", "citation"},  # papers -> JSON / CSV / BibTeX; a paper as an APA / GB/T 7714 reference
    {"render"},  # Markdown, math, KaTeX, Pygments
    {"site"},  # the graph values and the pages
    {"hexo"},  # a Hexo blog read as it is: its config, posts to import (above render: known tags; site: permalinks)
    {"write", "output"},  # the only modules that touch output/ (output.py makes every output path)
    {"pagefind_service"},  # one Pagefind service process and its protocol
    {"search_index"},  # Pagefind fed the search documents (site/search_docs.py), in bundles
    {"build_state", "pipeline"},  # the build
    {"commands"},  # build, serve, export, deploy
    {"cli"},  # argparse on top
]
GENERIC = "dev"  # the dev server: watch, serve, reload; knows nothing of papernotes (a builder is a callback)


def _imports(path: Path) -> set[str]:
    """Imported papernotes modules, as dotted names relative to the package ('model.merge')."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.relative_to(PACKAGE).with_suffix("").parts
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(here[: -node.level])
                mod = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.startswith("papernotes"):
                mod = node.module.removeprefix("papernotes").lstrip(".")
            else:
                continue
            names = [mod] + [f"{mod}.{a.name}" if mod else a.name for a in node.names]
            found.update(n for n in names if n)
        elif isinstance(node, ast.Import):
            found.update(a.name.removeprefix("papernotes.") for a in node.names if a.name.startswith("papernotes."))
    return found


def _layer(module: str) -> int | str | None:
    top = module.split(".")[0]
    if top == GENERIC:
        return GENERIC
    for n, names in enumerate(LAYERS):
        if top in names:
            return n
    return None


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel != "__init__.py":
            yield path, rel, rel.replace("/", ".").removesuffix(".py").removesuffix(".__init__")


def test_every_module_has_a_layer():
    assert [rel for _, rel, mod in _modules() if _layer(mod) is None] == []


def test_layers_import_one_way():
    problems = []
    for path, rel, module in _modules():
        layer = _layer(module)
        for imported in _imports(path):
            target = _layer(imported)
            if target is None:
                problems.append(f"{rel} imports {imported}, which has no layer")
            elif layer == GENERIC and target != GENERIC:
                problems.append(f"{rel}: the dev server imports {imported}")
            elif target == GENERIC and layer != GENERIC and _layer("commands") != layer:
                problems.append(f"{rel} imports the dev server ({imported}); only commands/ may")
            elif isinstance(layer, int) and isinstance(target, int) and target > layer:
                problems.append(f"{rel} (layer {layer}) imports {imported} (layer {target}), a later layer")
    assert problems == []


def test_sources_never_import_model():
    for path, rel, module in _modules():
        if module.startswith("sources"):
            assert not [m for m in _imports(path) if m.split(".")[0] in ("model", "content")], rel


def test_only_urls_module_builds_site_paths():
    """Pages ask site/urls.py for URLs; no other site module writes a path like 'papers/' itself."""
    for path in sorted((PACKAGE / "site").glob("*.py")):
        if path.name in ("urls.py",):
            continue
        text = path.read_text(encoding="utf-8")
        for fragment in ('"papers/', '"authors/', '"venues/', '"topics/', '"notes/', '"posts/', '"tags/'):
            assert fragment not in text, f"{path.name} builds a URL itself: {fragment}"


def test_no_private_names_cross_modules():
    """A module does not import another module's _private function."""
    problems = []
    for path, rel, _ in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("papernotes")):
                problems += [f"{rel} imports {a.name}" for a in node.names if a.name.startswith("_")]
    assert problems == []


def test_build_reads_like_a_pipeline():
    """Builder.build() is one stage per line: at most 60 lines."""
    tree = ast.parse((PACKAGE / "pipeline.py").read_text(encoding="utf-8"))
    build = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "build")
    assert build.end_lineno - build.lineno + 1 <= 60


def test_no_module_is_a_grab_bag():
    assert not list(PACKAGE.rglob("utils.py"))
    long = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if len(p.read_text(encoding="utf-8").splitlines()) > 400
    ]
    assert long == [], f"modules over 400 lines: {long}"


def test_writer_gets_assets_as_data():
    """write.py knows Jinja2 and the file system, not the renderer: KaTeX and Pygments files come as data."""
    assert not [m for m in _imports(PACKAGE / "write.py") if m.split(".")[0] in ("render", "model", "sources")]
