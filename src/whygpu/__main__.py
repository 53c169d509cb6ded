"""Allow `python -m whygpu`."""

import sys

from whygpu.cli import main

sys.exit(main())
