"""`python -m klussenbank.cli`: the `klussenbank` command."""

from klussenbank.cli import run

run()
