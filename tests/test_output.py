"""aipm_sim._output.atomic_output: the one "whole or not at all" writer behind the CLI's -o and the reports."""

import os
import stat

import pytest

from aipm_sim._output import MSG_OUTPUT_FAILED, MSG_OUTPUT_FOLDER, OutputPathError, atomic_output


def test_a_new_file_appears_only_when_the_block_succeeds(tmp_path):
    out = tmp_path / "r.html"
    with atomic_output(out) as tmp:
        assert tmp.parent == tmp_path and tmp != out and not out.exists()
        tmp.write_text("whole")
    assert out.read_text() == "whole" and sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask  # what a plain open() gives


def test_a_failing_block_leaves_nothing_and_its_error_passes_through(tmp_path):
    out = tmp_path / "r.html"
    out.write_text("old")
    with pytest.raises(ZeroDivisionError):
        with atomic_output(out) as tmp:
            tmp.write_text("half")
            1 / 0
    assert out.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


def test_a_symlink_is_written_through_and_a_replaced_file_keeps_its_mode(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with atomic_output(link) as tmp:
        tmp.write_text("new")
    assert link.is_symlink() and real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_a_pipe_or_device_is_given_back_to_write_directly(tmp_path):
    null = tmp_path / "null"
    null.symlink_to("/dev/null")
    with atomic_output(null) as target:
        assert target == null  # no temporary file beside /dev/null
        target.write_text("gone")
    assert null.is_symlink() and os.path.realpath(null) == "/dev/null"


def test_errors_name_the_path_given_and_say_why(tmp_path, monkeypatch):
    with pytest.raises(OutputPathError) as info:
        with atomic_output(tmp_path / "nowhere" / "r.html"):
            pass
    assert info.value.problem == "no_folder"
    assert str(info.value) == MSG_OUTPUT_FOLDER.format(str(tmp_path / "nowhere"))

    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputPathError) as info:
        with atomic_output(tmp_path / "r.html") as tmp:
            tmp.write_text("x")
    assert (info.value.problem, str(info.value)) == ("failed", MSG_OUTPUT_FAILED.format(str(tmp_path / "r.html"),
                                                                                      "disk full"))
    assert list(tmp_path.iterdir()) == []
