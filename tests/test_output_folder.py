"""OutputFolder's fast path: a file in a folder this write made is created without looking first, and
whatever appeared there meanwhile is still compared and replaced, never written through."""

from __future__ import annotations

import os

from papernotes.diagnostics import Diagnostics
from papernotes.output import OutputFolder, WriteReport


def _folder(root):
    out = OutputFolder(root, WriteReport(), Diagnostics())
    assert out.open()
    return out


def test_new_folders_are_made_and_their_files_written(tmp_path):
    out = _folder(tmp_path / "out")
    assert out.put("authors/a/index.html", b"<p>a</p>", ("x", 1))
    assert out.put("authors/b/index.html", b"<p>b</p>", ("x", 2))
    assert (tmp_path / "out/authors/a/index.html").read_bytes() == b"<p>a</p>"
    assert out.report.written == ["authors/a/index.html", "authors/b/index.html"]
    assert out.put("authors/a/index.html", b"<p>a</p>", ("x", 1))  # put again: the same bytes, not rewritten
    assert out.report.unchanged == 1


def test_what_appears_in_a_new_folder_is_compared_then_replaced_not_followed(tmp_path):
    out = _folder(tmp_path / "out")
    assert out.put("p/one.html", b"1", ("x", 1))
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep")
    os.symlink(outside, tmp_path / "out/p/two.html")  # another process put a link where a page goes
    assert out.put("p/two.html", b"2", ("x", 2))
    assert outside.read_bytes() == b"keep"
    assert not os.path.islink(tmp_path / "out/p/two.html")
    assert (tmp_path / "out/p/two.html").read_bytes() == b"2"
    assert out.diags.items == []


def test_a_file_where_a_folder_goes_is_one_error(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out/papers").write_bytes(b"a file")
    out = _folder(tmp_path / "out")
    assert not out.put("papers/x/index.html", b"x", ("x", 1))
    out.close()
    assert [d.message for d in out.diags.items] == ["cannot write papers/x/index.html: papers is a file, not a folder"]
