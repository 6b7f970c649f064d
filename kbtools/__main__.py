"""`python -m kbtools` runs the `kb` command line."""

import sys

from kbtools.cli import main

sys.exit(main())
