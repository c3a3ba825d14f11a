"""Packaging beyond what pyproject.toml can say: the default theme ships inside the package.

The checkout's top-level `templates/` and `static/` (the reference site's, and the one copy of the theme) are
mapped to the packages `papernotes.theme.templates` and `papernotes.theme.static`, so a wheel or sdist holds
them as `papernotes/theme/templates/...` (their files are package data, see pyproject.toml). pyproject.toml's
`packages.find` cannot add packages that live outside `papernotes/`, hence the list here.
"""

from setuptools import find_packages, setup

THEME = {"papernotes.theme.templates": "templates", "papernotes.theme.static": "static"}

setup(packages=[*find_packages(include=["papernotes", "papernotes.*"]), *THEME], package_dir=THEME)
