"""`python3 dev.py run` starts at once when nothing it installs from has changed (pip alone
took 4-7 s against 0.7 s for the app), and installs again when something has."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_dev(root: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_script", root / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_unchanged_checkout_is_not_installed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("dev.py", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "requirements").mkdir()
    shutil.copy(ROOT / "requirements" / "lock.txt", tmp_path / "requirements" / "lock.txt")
    dev = load_dev(tmp_path)
    dev.PYTHON.parent.mkdir(parents=True)
    dev.PYTHON.touch()  # a virtual environment is there
    installs: list[list[str]] = []

    def run(command: list[str], **_kwargs: object) -> subprocess.CompletedProcess[str]:
        installs.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(dev.subprocess, "run", run)
    dev.ensure_venv("")
    assert len(installs) == 1  # the first time: installed
    dev.ensure_venv("")
    assert len(installs) == 1  # nothing changed: not again
    dev.ensure_venv("test")
    assert len(installs) == 3  # the test tools are another install (lock, then the app)
    (tmp_path / "pyproject.toml").write_text(
        (tmp_path / "pyproject.toml").read_text() + "\n# changed\n"
    )
    dev.ensure_venv("")
    assert len(installs) == 4  # the project's metadata changed: installed again


def test_the_tests_run_on_every_core_unless_told_otherwise() -> None:
    """``dev.py test`` runs pytest with one worker per core (at most four); a developer's
    own ``-n`` comes after it (argparse takes the last), other arguments pass through."""
    dev = load_dev(ROOT)
    workers = dev.worker_count()
    assert 1 <= workers <= 4
    command = dev.pytest_command(["-q", "-k", "search"])
    assert command[1:] == ["-m", "pytest", "-n", str(workers), "--dist", "loadgroup",
                           "-q", "-k", "search"]  # fmt: skip
    one_process = dev.pytest_command(["-n", "0", "tests/unit"])
    assert one_process[-3:] == ["-n", "0", "tests/unit"]
    assert one_process.index("0") > one_process.index(str(workers))
    assert "-n" not in dev.pytest_command(["-p", "no:xdist"])


def test_every_module_kept_in_one_worker_is_there() -> None:
    """tests/conftest.py names the modules whose tests share one xdist worker by path: a
    renamed module would quietly be spread over the workers again."""
    from tests.conftest import XDIST_GROUPS

    assert XDIST_GROUPS
    for path in XDIST_GROUPS:
        assert (ROOT / path).is_file(), path
