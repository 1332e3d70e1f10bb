import os
import stat

import pytest

from torchup.source_file import DecodeError, SourceText, decode
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
    with pytest.raises(ReadOnlyFileError):
        write_atomic(path, b"new\n")
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
