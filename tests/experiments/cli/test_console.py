"""The console every command shares: the one progress reporter, the --out check, error paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from experiments.cli import console


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(console.time, "monotonic", c)
    return c


def test_eta_leaves_out_the_first_run_which_pays_for_compiling(clock, capsys):
    bar = console.Progress("test", total=11)
    clock.now += 60.0  # the first run compiles the kernel
    bar.update(1, 11)
    assert bar.eta() is None  # one run says nothing about the pace
    for done in range(2, 6):
        clock.now += 2.0
        bar.update(done, 11)
    assert bar.eta() == pytest.approx(6 * 2.0)  # 6 runs left at 2 s each, not at (60 + 8) / 5 s
    bar.close()


def test_off_a_terminal_a_line_every_interval_and_one_at_the_end(clock, capsys):
    bar = console.Progress("study", total=100)
    for done in range(1, 101):
        clock.now += 1.0
        bar.update(done, 100, failed=1 if done > 50 else 0)
    bar.close()
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 100 // int(console.LINE_EVERY_S) + 1
    assert lines[0].startswith("study: 15 of 100 runs")
    assert lines[-1].startswith("study: 100 of 100 runs (1 failed")
    assert all(line.count("\n") == 0 for line in lines)


def test_a_short_job_stays_quiet_off_a_terminal(clock, capsys):
    with console.Progress("run", unit="month", total=12) as bar:
        for month in range(1, 13):
            bar(month, 12)
    assert capsys.readouterr().err == ""


def test_check_out_accepts_new_and_empty_directories_and_refuses_the_rest(tmp_path: Path, capsys):
    console.check_out(tmp_path / "new")
    console.check_out(tmp_path)
    (tmp_path / "x").write_text("")
    with pytest.raises(typer.Exit) as info:
        console.check_out(tmp_path, remedy="use --force")
    assert info.value.exit_code == 2
    assert "already exists and is not an empty directory; use --force." in capsys.readouterr().err
    with pytest.raises(typer.Exit) as info:  # --force replaces an earlier ruralsim output only
        console.check_out(tmp_path, replace=True)
    assert info.value.exit_code == 2
    assert "holds files that are not an earlier ruralsim output" in capsys.readouterr().err
    (tmp_path / "manifest.json").write_text('{"format": "ruralsim-comparison/1"}')
    console.check_out(tmp_path, replace=True)
    with pytest.raises(typer.Exit):
        console.check_out(tmp_path / "x")
    assert "is not a directory" in capsys.readouterr().err
    with pytest.raises(typer.Exit):
        console.check_out(tmp_path / "x" / "deeper" / "out")
    assert f"{tmp_path / 'x'} is not a directory" in capsys.readouterr().err


def test_clear_previous_results_removes_only_an_earlier_ruralsim_output_or_an_unfinished_study(tmp_path: Path,
                                                                                               capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    console.clear_previous_results(empty)
    console.clear_previous_results(tmp_path / "new")
    assert empty.is_dir() and not (tmp_path / "new").exists()
    study = tmp_path / "study"  # interrupted: only its store's manifest, no manifest of its own yet
    (study / "store").mkdir(parents=True)
    (study / "store" / "manifest.json").write_text('{"format": "ruralsim-experiment/1"}')
    (study / "store" / "part.parquet").write_bytes(b"x")
    with pytest.raises(typer.Exit) as info:  # a store counts only where the command says it keeps one
        console.clear_previous_results(study)
    assert info.value.exit_code == 2 and "not an earlier ruralsim output" in capsys.readouterr().err
    console.clear_previous_results(study, stores=("store",))
    assert not study.exists()
    mine = tmp_path / "mine"
    (mine / "store").mkdir(parents=True)
    (mine / "store" / "manifest.json").write_text('{"name": "not ours"}')
    with pytest.raises(typer.Exit):
        console.clear_previous_results(mine, stores=("store",))
    assert (mine / "store" / "manifest.json").is_file()


def test_problems_are_one_paragraph(capsys):
    with pytest.raises(typer.Exit):
        console.fail_problems("cannot run", ["a", "b"])
    assert capsys.readouterr().err == "error: cannot run:\n  a\n  b\n"
