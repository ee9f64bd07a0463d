"""The frozen app's entry point (PyInstaller runs this script, not ``python -m``)."""

import sys

if __name__ == "__main__":
    if sys.argv[1:] == ["--scan-worker"]:  # the anonymity guard's scanning process
        from counsellor_app.core.anonymity.scan_process import main as scan_worker

        sys.exit(scan_worker())
    from counsellor_app.cli import main

    sys.exit(main())
