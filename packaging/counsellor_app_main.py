"""The frozen app's entry point (PyInstaller runs this script, not ``python -m``)."""

import sys

from counsellor_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
