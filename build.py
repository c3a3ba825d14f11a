"""Thin entry point: `python build.py [build|serve|export|deploy] ...`."""

from papernotes.cli import run

if __name__ == "__main__":
    run()
