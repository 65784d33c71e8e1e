"""Long commands show progress on stderr and a summary on stdout; --quiet leaves only errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from klussenbank.cli import main
from klussenbank.cli.progress import Progress


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/k.db")
    for name in ("KLUSSENBANK_DIRECTORY", "KLUSSENBANK_DIRECTORY_FILE", "KLUSSENBANK_ORGANISATIONS_FILE"):
        monkeypatch.delenv(name, raising=False)
    assert main(["--quiet", "db", "upgrade"]) == 0


def test_demo_load_shows_each_stage_the_people_done_and_a_summary(
    database: None, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["demo", "load"]) == 0
    out, err = capsys.readouterr()
    assert re.fullmatch(
        r"Directory loaded: \d+ organisations added, (\d+) people added, 0 updated\.\n"
        r"Demo marketplace: 3 profiles and \d+ klussen added\.\n",
        out,
    ), out
    people = re.search(r"(\d+) people added", out)
    assert people is not None
    lines = err.splitlines()
    assert lines[0] == "Loading the directory's organisations and people …"
    assert f"  {people[1]}/{people[1]} people" in lines  # the last count is always shown
    assert "Adding the demo profiles and klussen …" in lines
    assert re.fullmatch(r"Done in \d+\.\d s\.", lines[-1])


@pytest.mark.parametrize(
    "argv",
    [
        ["--quiet", "demo", "load"],
        ["demo", "load", "-q"],
        ["privacy", "purge", "--quiet"],
        ["--quiet", "outbox", "retry"],
        ["report", "--org", "ermelo", "--from", "2027-01-01", "--to", "2027-03-31", "--format", "png", "-q"],
        ["db", "upgrade", "--quiet"],
    ],
)
def test_quiet_prints_nothing_when_all_goes_well(
    argv: list[str], database: None, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(argv) == 0
    assert capsys.readouterr() == ("", "")


def test_quiet_still_prints_errors_with_the_same_exit_code(
    database: None, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    backwards = ["report", "--org", "ermelo", "--from", "2027-03-01", "--to", "2027-01-01"]
    assert main(["--quiet", *backwards]) == main(backwards) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == ["klussenbank: --to lies before --from."] * 2


def test_without_quiet_the_summaries_name_what_was_done(
    database: None, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["privacy", "purge"]) == 0
    assert main(["outbox", "retry"]) == 0
    out, err = capsys.readouterr()
    assert "outbox_messages: 0 purged" in out.splitlines()
    assert out.splitlines()[-1] == "0 deliveries queued again"
    assert "Purging personal data past each organisation's retention period …" in err
    assert "Queueing dead-lettered deliveries again …" in err


def test_counts_are_shown_at_most_once_a_second_and_always_at_the_end(
    capsys: pytest.CaptureFixture[str],
) -> None:
    now = [0.0]
    progress = Progress(clock=lambda: now[0])
    for done in range(1, 11):
        now[0] = done / 4  # a person every quarter of a second
        progress.count(done, 10, "people")
    assert capsys.readouterr().err.splitlines() == [
        "  1/10 people",
        "  5/10 people",
        "  9/10 people",
        "  10/10 people",
    ]
