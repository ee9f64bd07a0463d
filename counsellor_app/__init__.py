"""Counsellor's Notebook: encrypted, offline case notes for volunteer parent counsellors."""

from importlib import metadata

try:
    __version__ = metadata.version("counsellor-app")
except metadata.PackageNotFoundError:  # running from a source tree or a frozen bundle
    __version__ = "0.1.0"
