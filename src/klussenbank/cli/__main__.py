"""`python -m klussenbank.cli`: the `klussenbank` command."""

import sys

from klussenbank.cli import main

sys.exit(main())
