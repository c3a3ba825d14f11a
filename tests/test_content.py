"""Reading site_src/: format overrides from site.yaml, garbage and encodings never crash the build."""

from __future__ import annotations

from pathlib import Path

from sitebuild import SEED_SOURCE

from papernotes.config import load_config
from papernotes.content import load_content


def _site(tmp_path: Path, yaml_text: str) -> Path:
    src = tmp_path / "site_src"
    (src / "papers" / "forced").mkdir(parents=True)
    (src / "site.yaml").write_text(yaml_text, encoding="utf-8")
    return src


def test_override_per_file_and_per_folder(tmp_path):
    hf = (SEED_SOURCE / "papers/hf-daily-papers.txt").read_text(encoding="utf-8")
    src = _site(tmp_path, "formats:\n  papers/odd.dat.txt: hf_papers\n  papers/forced: hf_papers\n")
    # Without the page chrome detection would not know this text; the override says what it is.
    body = hf.split("by AK and the research community", 1)[1].strip()
    (src / "papers/odd.dat.txt").write_text(body, encoding="utf-8")
    (src / "papers/forced/a.txt").write_text(body, encoding="utf-8")
    config, diags = load_config(src)
    assert diags == []
    content = load_content(config)
    by_file = {}
    for record in content.records:
        by_file[record.source.path] = by_file.get(record.source.path, 0) + 1
    assert by_file == {"papers/odd.dat.txt": 100, "papers/forced/a.txt": 100}
    assert all(r.format == "hf_papers" for r in content.records)


def test_unknown_override_and_garbage_are_diagnostics(tmp_path):
    src = _site(tmp_path, "formats:\n  papers/x.txt: no_such_format\n")
    (src / "papers/x.txt").write_text("hello\n", encoding="utf-8")
    (src / "papers/garbage.txt").write_bytes(b"\x00\x01 nothing here \xff\xfe")
    config, _ = load_config(src)
    content = load_content(config)
    messages = {d.path: d for d in content.diagnostics}
    assert "unknown paper format 'no_such_format'" in messages["papers/x.txt"].message
    assert "papers/garbage.txt" in messages
    assert content.records == []


def test_gbk_note_is_decoded_with_a_warning(tmp_path):
    src = _site(tmp_path, "")
    (src / "notes").mkdir()
    (src / "notes/gbk.md").write_bytes("---\ntitle: 旧笔记\n---\n\n这是一段用 GBK 保存的中文笔记。\n".encode("gbk"))
    config, _ = load_config(src)
    content = load_content(config)
    assert [d.title for d in content.documents] == ["旧笔记"]
    assert any(d.level == "warning" and "GBK" in d.message for d in content.diagnostics)
