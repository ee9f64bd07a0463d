"""The packaged build, proven on Linux: build the one-folder bundle with the same spec the
Windows and macOS jobs use, then run the BUILT program (not the source tree): --version,
demo, search, deidentify, --self-test; and check what the bundle holds and leaves out.

The build takes about half a minute on two cores and is made once per session, in a
temporary folder. Skip it locally with ``-m "not slow"``.
"""

from __future__ import annotations

import configparser
import importlib.util
import io
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),  # the first test waits for PyInstaller (minutes on a busy CI)
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="CI builds Windows and macOS bundles"
    ),
]


def _load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_packaging_build", ROOT / "packaging/build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built program (dist/counsellor-app/counsellor-app), built once per session."""
    build = _load_build_script()
    folder = tmp_path_factory.mktemp("bundle")
    try:
        program, seconds = build.build_bundle(folder / "dist", folder / "work")
    except RuntimeError as error:
        pytest.fail(str(error))
    print(f"\nbundle built in {seconds:.0f} s: {program}")
    return program


def run(
    program: Path, *args: str, home: Path, stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the frozen program as a user would: no source tree, no Python environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "QT_"))
    }
    env.update(COUNSELLOR_APP_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [str(program), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=home.parent,
        timeout=timeout,
        check=False,
    )


def test_version_is_the_one_in_pyproject(bundle: Path, tmp_path: Path) -> None:
    result = run(bundle, "--version", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"counsellor-app {VERSION}"


def test_demo_then_search(bundle: Path, tmp_path: Path) -> None:
    notebook = tmp_path / "demo.cnb"
    home = tmp_path / "home"
    made = run(bundle, "demo", str(notebook), "--cases", "12", "--seed", "3",
               stdin="bundle pass phrase\n", home=home)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert notebook.exists()
    assert not notebook.read_bytes().startswith(b"SQLite format 3\x00")
    found = run(bundle, "search", str(notebook), stdin="bundle pass phrase\n", home=home)
    assert found.returncode == 0, found.stderr
    assert len(found.stdout.strip().splitlines()) == 12
    wrong = run(bundle, "search", str(notebook), stdin="not it\n", home=home)
    assert wrong.returncode == 1
    assert len(wrong.stderr.strip().splitlines()) == 1


def test_deidentify(bundle: Path, tmp_path: Path) -> None:
    text = "Mor hedder Mette Hansen og kan ringes op på 20 30 40 50.\n"
    result = run(bundle, "deidentify", "--json", stdin=text, home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "Mette" not in data["text"] and "20 30 40 50" not in data["text"]
    assert {"name", "phone"} <= {finding["kind"] for finding in data["findings"]}


def test_the_guards_scanning_process_runs_in_the_bundle(bundle: Path, tmp_path: Path) -> None:
    """The window starts the bundle itself as its scanning process (the frozen app has no
    ``-m``): it answers a text with what the source tree's engine finds, and ends when its
    input does."""
    from counsellor_app.core.anonymity.scan_process import (
        WORKER_ARGUMENT,
        encode_message,
        read_message,
    )
    from tests.helpers import scan_answer

    text = "Mor ringer om Oliver.\nHun kan nås på 22 33 44 55."
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    done = subprocess.run(
        [str(bundle), WORKER_ARGUMENT],
        # The first text of an editor: whole (serial 1, built on no text and no answer).
        input=encode_message(("scan", 1, 9, "da", 1, -1, 0, 0, text, -1)),
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0
    answers = io.BytesIO(done.stdout)
    assert read_message(answers) == ("ready",)
    assert read_message(answers) == (1, 9, 0, 0, scan_answer(text))
    assert read_message(answers) is None


def test_self_test_passes_in_the_bundle(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run(bundle, "--self-test", home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert not [line for line in lines if line.startswith("FAIL")], result.stdout
    assert "frozen bundle" in lines[0]
    assert f"counsellor-app {VERSION} (from package metadata)" in lines[0]
    assert lines[-1].startswith("self-test passed")
    for check in ("window", "unlock", "lock", "read back", "encrypted", "deidentify", "pdf"):
        assert any(line.startswith(f"ok   {check}:") for line in lines), check
    # It cleans up after itself and never wrote into the user's folders.
    assert not home.exists() or not any(home.rglob("*.cnb"))


def test_bundle_holds_what_the_app_needs_and_not_more(bundle: Path) -> None:
    internal = bundle.parent / "_internal"
    qt = internal / "PySide6" / "Qt"
    assert (qt / "plugins" / "platforms" / "libqoffscreen.so").exists()
    assert (qt / "plugins" / "platforms" / "libqxcb.so").exists()
    assert (qt / "plugins" / "platforms" / "libqwayland.so").exists()
    app = internal / "counsellor_app"
    for language in ("da", "en"):
        assert (app / "i18n" / language / "LC_MESSAGES" / "messages.mo").exists()
    assert not list(app.glob("i18n/**/*.po"))
    assert (app / "resources" / "taxonomy.json").exists()
    assert (app / "resources" / "anonymity" / "first_names.txt").exists()
    assert (app / "resources" / "icons" / "counsellor-app-256.png").exists()
    assert (internal / "licenses" / "LICENSE").exists()
    assert (internal / "licenses" / "LGPL-3.0.txt").exists()

    names = {path.name for path in internal.rglob("*")}
    for unwanted in ("libQt6Qml", "libQt6Quick", "libQt6WebEngine", "libQt6Pdf", "libqvnc",
                     "libqgtk3", "QtNetwork", "pytest", "tkinter"):  # fmt: skip
        assert not [name for name in names if name.startswith(unwanted)], unwanted
    dangling = [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]
    assert not dangling
    size = sum(p.stat().st_size for p in bundle.parent.rglob("*") if p.is_file())
    assert size < 260 * 1024 * 1024, f"the bundle grew to {size / 2**20:.0f} MiB"


def test_linux_desktop_entry_and_per_user_install(bundle: Path, tmp_path: Path) -> None:
    folder = bundle.parent
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(folder / "counsellor-app.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"] == "counsellor-app" and desktop["Icon"] == "counsellor-app"
    assert desktop["Name[da]"] == "Rådgiverens notesbog"

    home = tmp_path / "user"
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    subprocess.run(["sh", str(folder / "install.sh")], env=env, check=True, capture_output=True)
    installed = home / ".local" / "lib" / "counsellor-app" / "counsellor-app"
    assert installed.exists()
    menu = (home / ".local/share/applications/counsellor-app.desktop").read_text("utf-8")
    assert f"Exec={installed}" in menu
    assert (home / ".local/share/icons/hicolor/256x256/apps/counsellor-app.png").exists()
    version = subprocess.run(
        [str(home / ".local" / "bin" / "counsellor-app"), "--version"],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    assert VERSION in version.stdout
    subprocess.run(
        ["sh", str(folder / "install.sh"), "--remove"], env=env, check=True, capture_output=True
    )
    assert not installed.exists()
