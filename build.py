"""Thin entry point: `python build.py [build|serve|export|deploy] ...`."""

import sys

from papernotes.cli import main

if __name__ == "__main__":
    sys.exit(main())
