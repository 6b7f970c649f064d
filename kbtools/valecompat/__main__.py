"""`python -m kbtools.valecompat`: lint like `vale --output=line --no-global`."""

from __future__ import annotations

import sys

from kbtools.valecompat.cli import main

sys.exit(main())
