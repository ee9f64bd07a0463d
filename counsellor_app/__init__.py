"""Counsellor's Notebook: encrypted, offline case notes for volunteer parent counsellors."""

import os
import sys


def _installed_version() -> str:
    """The version of the installed distribution, from the name of its ``.dist-info``
    folder on ``sys.path`` (the first, as ``importlib.metadata`` finds it). Not through
    ``importlib.metadata``: importing it (with ``email``) took a tenth of the start-up."""
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            stem, _dot, kind = name.rpartition(".")
            project, dash, version = stem.partition("-")
            if kind == "dist-info" and dash and project.lower() == "counsellor_app":
                return version
    return "0.1.0"  # running from a source tree that was never installed


__version__ = _installed_version()
