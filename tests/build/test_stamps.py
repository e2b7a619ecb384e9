"""The build's up-to-date helper and its atomic writes (scripts/assets/stamps.py, atomic.py)."""

from __future__ import annotations

import os
import shutil

import pytest

from assets import atomic, stamps


def test_inputs_key_follows_names_contents_and_strings(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("A = 1\n")
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "a.cpython-312.pyc").write_bytes(b"x")

    def key(*extra):
        return stamps.inputs_key(tmp_path / "pkg", *extra, base=tmp_path)

    base = key()
    assert key() == base and key("option") != base
    (tmp_path / "pkg" / "__pycache__" / "b.cpython-312.pyc").write_bytes(b"y")
    assert key() == base, "bytecode is not an input"
    (tmp_path / "pkg" / "a.py").write_text("A = 2\n")
    assert key() != base
    (tmp_path / "pkg" / "a.py").write_text("A = 1\n")
    assert key() == base
    (tmp_path / "pkg" / "a.py").rename(tmp_path / "pkg" / "b.py")
    assert key() != base
    assert stamps.inputs_key(tmp_path / "missing") != stamps.inputs_key(tmp_path / "pkg" / "b.py")


def test_stamp_is_fresh_only_for_the_key_it_holds(tmp_path):
    stamp = stamps.Stamp(tmp_path / "deep" / "job.json")
    assert not stamp.fresh("k1")
    stamp.write("k1")
    assert stamp.fresh("k1") and not stamp.fresh("k2")
    stamp.path.write_text("not json")
    assert not stamp.fresh("k1")
    stamp.clear()
    assert not stamp.path.exists()


def test_file_digest_sees_a_file_changed_in_place(tmp_path):
    f = tmp_path / "input.bin"
    f.write_bytes(b"a" * 1000)
    first = stamps.file_digest(f)
    assert stamps.file_digest(f) == first == stamps.sha256_file(f)
    with open(f, "r+b") as fh:
        fh.truncate(500)
    assert stamps.file_digest(f) == stamps.sha256_file(f) != first


def test_check_file_names_a_missing_or_damaged_file(tmp_path):
    f = tmp_path / "pinned.bin"
    with pytest.raises(stamps.AssetError, match=r"pinned\.bin is missing \(get it here\)"):
        stamps.check_file(f, "0" * 64, "get it here")
    f.write_bytes(b"data")
    good = stamps.sha256_file(f)
    assert stamps.check_file(f, good, "x") == f
    with pytest.raises(stamps.AssetError, match=rf"pinned\.bin is damaged: sha256 {good}, expected 0+ \(x\)"):
        stamps.check_file(f, "0" * 64, "x")


def test_an_interrupted_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    dest = tmp_path / "out.bin"
    dest.write_bytes(b"old content")

    def copy_half_then_fail(src, dst):
        with open(dst, "wb") as fh:
            fh.write(b"new c")
        raise OSError(28, "No space left on device")

    src = tmp_path / "src.bin"
    src.write_bytes(b"new content")
    monkeypatch.setattr(shutil, "copyfile", copy_half_then_fail)
    with pytest.raises(OSError, match="No space left"):
        atomic.copy_atomic(src, dest)
    assert dest.read_bytes() == b"old content"
    assert set(os.listdir(tmp_path)) == {"out.bin", "src.bin"}, "the temporary file is left behind"
    monkeypatch.undo()
    atomic.copy_atomic(src, dest)
    assert dest.read_bytes() == b"new content" and set(os.listdir(tmp_path)) == {"out.bin", "src.bin"}


def test_stamps_cli_checks_and_writes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lock.json").write_text("{}")
    args = ["setup-stamp", "lock.json", "--text", "node-20"]
    assert stamps.main(["check", *args]) == 1
    assert stamps.main(["write", *args]) == 0
    assert stamps.main(["check", *args]) == 0
    assert stamps.main(["check", "setup-stamp", "lock.json", "--text", "node-22"]) == 1
    (tmp_path / "lock.json").write_text('{"changed": 1}')
    assert stamps.main(["check", *args]) == 1
