"""papernotes: a static site generator for research notes about papers."""

__version__ = "0.1.0"
