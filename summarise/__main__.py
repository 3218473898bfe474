"""`python -m summarise ...`: the same as the `summarise` command."""
import sys

from summarise.cli import main

sys.exit(main())
