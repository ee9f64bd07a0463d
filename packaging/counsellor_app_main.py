"""The frozen app's entry point (PyInstaller runs this script, not ``python -m``)."""

import multiprocessing
import sys

if __name__ == "__main__":
    # First, before anything else runs: a process that multiprocessing spawned from the
    # bundle (a worker of the parallel de-identification, core/anonymity/large.py, or on
    # macOS and Linux its resource tracker) is this same program started with
    # multiprocessing's arguments (--multiprocessing-fork ..., or -c "from
    # multiprocessing.resource_tracker import main..."). freeze_support runs what it was
    # started for and exits, so it never goes on to become a second app. PyInstaller's
    # run-time hook for multiprocessing makes it do so on every OS, not only on Windows as
    # the standard library's does. Nothing to set with set_executable: a frozen app's
    # spawn starts sys.executable, which is this program (counsellor-app-cli.exe or
    # counsellor-app.exe on Windows, Contents/MacOS/counsellor-app in the .app).
    # Outside a bundle (python packaging/counsellor_app_main.py) it does nothing.
    multiprocessing.freeze_support()
    if sys.argv[1:] == ["--scan-worker"]:  # the anonymity guard's scanning process
        from counsellor_app.core.anonymity.scan_process import main as scan_worker

        sys.exit(scan_worker())
    from counsellor_app.cli import main

    sys.exit(main())
