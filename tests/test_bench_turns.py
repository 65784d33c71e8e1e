"""The turn benchmark in its smallest setting: it runs the whole klus flow and prints its figures.

What the figures are is never judged here (benchmarks print, tests do not time); only that there
is one of each, and that every turn answered as it should (else the exit code is 1)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bench.turns import KINDS, with_prerequisites

REPO = Path(__file__).resolve().parents[1]
NUMBER = r"[0-9]+\.[0-9]"


def test_the_smallest_run_prints_figures_for_every_kind_of_turn() -> None:
    command = [sys.executable, "-m", "bench.turns", "--db", "sqlite", "--pools", "20", "--users", "1"]
    command += ["--rounds", "1", "--samples", "1"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "seeded 20 people" in out
    for kind in KINDS:
        row = rf"\| sqlite \| 20 \| 1 \| {kind} \| {NUMBER} / {NUMBER} ms \| {NUMBER} / {NUMBER} ms \| {NUMBER}× / {NUMBER}× \|"
        assert re.search(row, out), f"no figures for {kind}:\n{out}"
    assert re.search(rf"CPU per turn, all kinds: Klussenbank {NUMBER}+ ms, echo bot {NUMBER}+ ms", out), out
    assert re.search(r"klussenbank serve: RSS [0-9]+ MB now, [0-9]+ MB peak; approvals done 2\b", out), out


def test_a_step_of_the_klus_flow_brings_the_steps_before_it() -> None:
    assert with_prerequisites(["help"]) == ("help",)
    assert with_prerequisites(["profile", "candidates"]) == ("profile", "post klus", "candidates")
    assert with_prerequisites(["approve"]) == KINDS[3:]
