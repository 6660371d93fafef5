#!/usr/bin/env python3
"""Entry point of the e2e harness; see docs/e2e.md or run with --help."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from aero_e2e.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
