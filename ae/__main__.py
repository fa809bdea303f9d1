"""`python -m ae ...`: see ae/cli.py."""

import sys

from ae.cli import main

sys.exit(main())
