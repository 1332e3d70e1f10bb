import os
import stat

import pytest

from torchup.source_file import READS, DecodeError, SourceText, decode
from torchup.writeback import ReadOnlyFileError, write_atomic


def test_write_keeps_mode_and_replaces_atomically(tmp_path):
    path = tmp_path / "run.py"
    path.write_bytes(b"old\n")
    path.chmod(0o755)
    write_atomic(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.py"]  # no temporary left behind


def test_read_only_file_is_refused(tmp_path):
    path = tmp_path / "frozen.py"
    path.write_bytes(b"old\n")
    path.chmod(0o444)
    with pytest.raises(ReadOnlyFileError) as refused:
        write_atomic(path, b"new\n")
    assert str(refused.value) == f"{path} is read-only; left untouched"
    assert path.read_bytes() == b"old\n"


def test_symlink_is_written_through(tmp_path):
    target = tmp_path / "real.py"
    target.write_bytes(b"old\n")
    link = tmp_path / "link.py"
    link.symlink_to(target)
    write_atomic(link, b"new\n")
    assert link.is_symlink()
    assert target.read_bytes() == b"new\n"


def test_interrupted_write_leaves_original(tmp_path, monkeypatch):
    path = tmp_path / "model.py"
    path.write_bytes(b"old\n")

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.py"]


@pytest.mark.parametrize(
    "data, encoding",
    [
        pytest.param(b"x = 1\r\n", "utf-8", id="crlf"),
        pytest.param("\ufeffs = 'é'\n".encode("utf-8"), "utf-8-sig", id="bom"),
        pytest.param("# -*- coding: latin-1 -*-\ns = 'é'\n".encode("latin-1"), "iso-8859-1", id="latin-1"),
    ],
)
def test_decode_round_trips(data, encoding):
    source = decode(data)
    assert isinstance(source, SourceText)
    assert source.encoding == encoding
    assert source.encode(source.text) == data


def test_undecodable_file_is_an_error():
    assert isinstance(decode(b"s = '\xff\xfe'\n"), DecodeError)


SOURCE = "import torch\nx = torch.zeros(3)\n"


@pytest.mark.parametrize(
    "data, named",
    [
        pytest.param(SOURCE.encode("utf-16"), "UTF-16 (little-endian) byte order mark", id="utf-16"),
        pytest.param(SOURCE.encode("utf-16-be").join([b"\xfe\xff", b""]), "UTF-16 (big-endian) byte order mark", id="utf-16-be"),
        pytest.param(SOURCE.encode("utf-32"), "UTF-32 (little-endian) byte order mark", id="utf-32"),
        pytest.param(b"\x00\x00\xfe\xff" + SOURCE.encode("utf-32-be"), "UTF-32 (big-endian) byte order mark", id="utf-32-be"),
        pytest.param(SOURCE.encode("utf-16-le"), "looks like UTF-16 or UTF-32 without a byte order mark", id="utf-16-no-bom"),
        pytest.param(SOURCE.encode("utf-16-be"), "looks like UTF-16 or UTF-32 without a byte order mark", id="utf-16-be-no-bom"),
        pytest.param(SOURCE.encode("utf-32-le"), "looks like UTF-16 or UTF-32 without a byte order mark", id="utf-32-no-bom"),
        pytest.param(SOURCE.encode("utf-32-be"), "looks like UTF-16 or UTF-32 without a byte order mark", id="utf-32-be-no-bom"),
    ],
)
def test_wide_encodings_are_named_in_the_error(data, named):
    error = decode(data)
    assert isinstance(error, DecodeError)
    assert error.message.startswith(named)
    assert "torchup reads UTF-8 and PEP 263 encodings" in error.message


def test_a_binary_file_is_called_binary_with_the_offset():
    error = decode(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))
    assert isinstance(error, DecodeError)
    assert error.message == "binary file (a NUL byte at offset 7): not Python source"


@pytest.mark.parametrize(
    "data, offset",
    [
        pytest.param(b"\x00import torch\n", 0, id="first-byte"),
        pytest.param(b"import torch\n\x00", 13, id="last-byte"),
        pytest.param(b"x = 1\n# \x00\n", 8, id="in-a-comment"),
    ],
)
def test_a_nul_byte_anywhere_makes_a_binary_file(data, offset):
    error = decode(data)
    assert isinstance(error, DecodeError)
    assert error.message == f"binary file (a NUL byte at offset {offset}): not Python source"


def test_invalid_utf8_says_whether_an_encoding_was_declared():
    undeclared = decode(b"s = '\xff'\n")
    declared = decode(b"# -*- coding: utf-8 -*-\ns = '\xff'\n")
    assert isinstance(undeclared, DecodeError) and isinstance(declared, DecodeError)
    assert undeclared.message.startswith("byte 5 is not valid utf-8 (no PEP 263 encoding declaration)")
    assert declared.message.startswith("byte 29 is not valid utf-8 (as declared)")
    unknown = decode(b"# -*- coding: klingon -*-\n")
    assert isinstance(unknown, DecodeError) and "klingon" in unknown.message


def test_leftovers_of_a_killed_write_are_removed_and_nothing_else(tmp_path):
    from torchup.writeback import remove_leftovers

    target = tmp_path / "model.py"
    target.write_text("x = 1\n")
    (tmp_path / ".model.py.abc123.torchup").write_text("half")
    (tmp_path / ".other.py.abc123.torchup").write_text("another file's")
    (tmp_path / "model.py.torchup").write_text("not ours")
    remove_leftovers(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.py.abc123.torchup", "model.py", "model.py.torchup"]


def test_leftovers_of_a_file_named_like_a_glob_pattern_are_removed(tmp_path):
    from torchup.writeback import remove_leftovers

    target = tmp_path / "model[1].py"
    target.write_text("x = 1\n")
    (tmp_path / ".model[1].py.abc123.torchup").write_text("half")
    (tmp_path / ".model1.py.abc123.torchup").write_text("another file's: [1] is no character class")
    remove_leftovers(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".model1.py.abc123.torchup", "model[1].py"]


def test_leftovers_of_a_write_through_a_symlink_are_removed_beside_its_target(tmp_path):
    # A symlink is written through: the temporary file lies beside the target, not the link.
    from torchup.writeback import remove_leftovers

    real = tmp_path / "src"
    real.mkdir()
    (real / "model.py").write_text("x = 1\n")
    (real / ".model.py.abc123.torchup").write_text("half")
    links = tmp_path / "links"
    links.mkdir()
    (links / "net.py").symlink_to(real / "model.py")
    remove_leftovers(links / "net.py")
    assert sorted(p.name for p in real.iterdir()) == ["model.py"]
    assert (links / "net.py").is_symlink()


def test_a_coding_cookie_on_the_second_line_counts_as_declared():
    # PEP 263 allows the cookie on line 2, below a shebang: the file is not valid in what it declares
    error = decode(b"#!/usr/bin/env python\n# -*- coding: ascii -*-\ns = '\xe9'\n")
    assert isinstance(error, DecodeError)
    assert error.message == f"byte 51 is not valid ascii (as declared): {READS}"


def test_a_non_utf8_first_line_above_a_cookie_counts_as_declared():
    # The tokenizer stops at a first line that is not UTF-8, before it reads a cookie on line 2.
    declared = decode(b"#!/usr/bin/python \xe9\n# -*- coding: latin-1 -*-\ns = 1\n")
    undeclared = decode(b"#!/usr/bin/python \xe9\ns = 1\n")
    assert declared == DecodeError(f"byte 18 is not valid utf-8 (as declared): {READS}")
    assert undeclared == DecodeError(f"byte 18 is not valid utf-8 (no PEP 263 encoding declaration): {READS}")


def test_an_unknown_cookie_is_refused_with_the_tokenizers_words():
    assert decode(b"#!/usr/bin/python\n# -*- coding: klingon -*-\n") == DecodeError(f"unknown encoding: klingon; {READS}")


def test_an_indented_cookie_counts_as_declared():
    # Python takes a cookie after spaces or a form feed, as PEP 263's pattern does.
    error = decode(b"  # -*- coding: ascii -*-\ns = '\xe9'\n")
    assert error == DecodeError(f"byte 31 is not valid ascii (as declared): {READS}")
    assert decode(b"  # -*- coding: latin-1 -*-\ns = '\xe9'\n") == SourceText("  # -*- coding: latin-1 -*-\ns = '\xe9'\n", "iso-8859-1")


def test_a_leftover_that_cannot_be_removed_is_left_and_the_others_go(tmp_path):
    from torchup.writeback import remove_leftovers

    target = tmp_path / "model.py"
    target.write_text("x = 1\n")
    (tmp_path / ".model.py.abc123.torchup").mkdir()  # a directory: unlink fails
    (tmp_path / ".model.py.def456.torchup").write_text("half")
    remove_leftovers(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".model.py.abc123.torchup", "model.py"]
    remove_leftovers(tmp_path / "missing" / "model.py")  # no directory to look in: nothing to do
