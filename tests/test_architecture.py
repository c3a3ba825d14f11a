"""STYLE rule 10: layers import one way (sources -> model -> render -> site -> write; dev and cli on top)."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "papernotes"
ORDER = ["sources", "model", "render", "site", "write"]
# Plain vocabulary every reader may use: the record types and pure text helpers.
SHARED_MODEL = {"model.records", "model.text", "model.venues", "model.authors"}
GENERIC_DEV = {"dev/run.py", "dev/server.py", "dev/watch.py"}


def _imports(path: Path) -> set[str]:
    """Imported papernotes modules, as dotted names relative to the package ('model.merge')."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.relative_to(PACKAGE).with_suffix("").parts
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(here[:-node.level])
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


def _layer(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in ORDER else None


def test_layers_import_one_way():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        layer = _layer(rel.replace("/", ".").removesuffix(".py"))
        if layer is None:
            continue
        for mod in _imports(path):
            target = _layer(mod)
            if target is None:
                if mod.split(".")[0] in {"pipeline", "cli", "dev", "deploy", "export_cmd", "content"}:
                    problems.append(f"{rel} imports {mod} (a layer above the pipeline)")
                continue
            if layer == "sources" and target == "model":
                if not any(mod == m or mod.startswith(m + ".") for m in SHARED_MODEL):
                    problems.append(f"{rel} imports {mod}: readers may use only {sorted(SHARED_MODEL)} of model/")
            elif ORDER.index(target) > ORDER.index(layer):
                problems.append(f"{rel} ({layer}) imports {mod} ({target}), a later layer")
    assert problems == []


def test_dev_server_is_generic():
    for rel in GENERIC_DEV:
        mods = _imports(PACKAGE / rel)
        assert not [m for m in mods if _layer(m) or m.split(".")[0] in {"pipeline", "content", "config"}], rel


def test_only_urls_module_builds_site_paths():
    """Pages ask site/urls.py for URLs; no other site module writes a path like 'papers/' itself."""
    for path in sorted((PACKAGE / "site").glob("*.py")):
        if path.name in ("urls.py",):
            continue
        text = path.read_text(encoding="utf-8")
        for fragment in ('"papers/', '"authors/', '"venues/', '"topics/', '"notes/', '"posts/', '"tags/'):
            assert fragment not in text, f"{path.name} builds a URL itself: {fragment}"


def test_no_module_is_a_grab_bag():
    assert not list(PACKAGE.rglob("utils.py"))
    long = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
            if len(p.read_text(encoding="utf-8").splitlines()) > 400]
    assert long == [], f"modules over 400 lines: {long}"
