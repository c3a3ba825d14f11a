"""Hexo, read as it is: `_config.yml`, post file names, permalink patterns, front matter to keep.

Pure functions for `papernotes import hexo` (papernotes/commands/import_hexo.py does the I/O) and for
the builder, which expands site.yaml's `permalink:` pattern with `permalinks.expand_permalink`.
"""
