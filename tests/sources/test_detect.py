"""Format detection by content, overrides, and byte decoding."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes.sources.decode import decode_source
from papernotes.sources.detect import READERS, detect_format, read_listing

ROOT = Path(__file__).resolve().parents[2]
SEEDS = {
    "posts/cvpr2022-papers.md": ("hexo_paperlist", 16),
    "notes/cvpr2022-generative-models.md": ("note_sections", 8),
    "papers/hf-daily-papers.txt": ("hf_papers", 100),
    "papers/cvpr-2023-list19.md": ("paperlist_md", 200),
    "papers/nannan-wang-profile.txt": ("author_profile", 50),
}


def test_seeds_detected_by_content_not_name():
    for path, (fmt, count) in SEEDS.items():
        text = (ROOT / "site_src" / path).read_text(encoding="utf-8")
        assert detect_format("renamed.txt", text) == fmt, path
        res = read_listing(path, text)
        assert len(res.records) == count and res.diagnostics == ()
        assert all(r.format == fmt and r.source.path == path for r in res.records)


def test_total_records_and_author_strings():
    records = []
    for path in SEEDS:
        records += read_listing(path, (ROOT / "site_src" / path).read_text(encoding="utf-8")).records
    assert len(records) == 374
    assert len({a for r in records for a in r.authors}) == 1269


def test_override_and_unknown():
    text = "## Paper\n\ntext\n"
    assert detect_format("n.md", text) is None
    assert len(read_listing("n.md", text, override="note_sections").records) == 1
    res = read_listing("n.md", text, override="bogus")
    assert res.records == () and res.diagnostics[0].level == "error" and "bogus" in res.diagnostics[0].message
    res = read_listing("n.md", "just some words\n")
    assert res.records == () and res.diagnostics[0].path == "n.md"
    assert set(READERS) == {
        *("hexo_paperlist", "note_sections", "hf_papers", "paperlist_md", "author_profile"),
        *("bibtex", "csl_json"),
    }


def test_ordinary_blog_post_is_no_listing():
    post = "---\ntitle: Hello\n---\n\n# Intro\n\nSome text.\n\n## Details\n\n1. one\n2. two\n"
    assert detect_format("p.md", post) is None


def test_decode_utf8_bom_crlf():
    assert decode_source("a", "\ufeffa\r\nb\rc".encode()) == ("a\nb\nc", [])


def test_decode_gbk_with_warning():
    text, diags = decode_source("g.md", "# 笔记\r\n这是一段中文笔记，讲生成模型。".encode("gbk"))
    assert text == "# 笔记\n这是一段中文笔记，讲生成模型。"
    assert len(diags) == 1 and diags[0].level == "warning" and "GBK" in diags[0].message


def test_decode_invalid_names_byte_and_line():
    text, diags = decode_source("b.md", b"ok\nline two \xff\xfe\x00")
    assert text is None
    assert (
        diags[0].level == "error"
        and diags[0].line == 2
        and "0xff" in diags[0].message
        and "offset 12" in diags[0].message
    )


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_decode_never_raises(data):
    text, diags = decode_source("x", data)
    assert (text is None) == any(d.level == "error" for d in diags)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.sampled_from([None, "nope", *READERS]))
def test_read_listing_never_raises(text, override):
    read_listing("x", text, override)
