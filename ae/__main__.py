"""`python -m ae ...`: see ae/cli.py."""

import sys

from .cli import main

sys.exit(main())
