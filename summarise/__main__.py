import sys

from summarise.cli import main

sys.exit(main())
