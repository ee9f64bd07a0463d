"""The wheel: ``resources/`` and ``i18n/`` (top-level folders of the source tree) are
installed inside the package, where :mod:`counsellor_app.core.paths` finds them, and
nothing else leaks out of ``counsellor_app``. The installed wheel passes the self-test
from a folder that is not the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: Folders of a checkout that are never part of a build (a stale build/ would leak files
#: deleted from the source into the wheel, so the wheel is built from a clean copy).
_NOT_SOURCE = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")


def _shipped_files(folder: str, keep: str) -> set[str]:
    return {
        path.relative_to(ROOT / folder).as_posix()
        for path in (ROOT / folder).rglob(keep)
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_every_package_is_listed_in_pyproject() -> None:
    # The package-dir mapping rules out automatic discovery: a package missing from the
    # list would be missing from the wheel (and the self-test of a wheel would fail).
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "counsellor_app").rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert found - listed == set(), "add to [tool.setuptools] packages in pyproject.toml"
    assert listed - found == {"counsellor_app.resources", "counsellor_app.i18n"}


def test_a_checkout_uses_its_top_level_folders() -> None:
    from counsellor_app.core.i18n import LOCALE_DIR
    from counsellor_app.core.paths import catalog_dir, resource_path

    # No second copy inside the package (a leftover folder would be used instead).
    assert not (ROOT / "counsellor_app" / "resources").exists()
    assert not (ROOT / "counsellor_app" / "i18n").exists()
    assert resource_path("taxonomy.json") == ROOT / "resources" / "taxonomy.json"
    assert catalog_dir() == LOCALE_DIR == ROOT / "i18n"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel pip builds from a clean copy of the source tree."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*_NOT_SOURCE))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work / "dist"),
         str(source)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = (work / "dist").glob("counsellor_app-*.whl")
    return built


@pytest.mark.slow
@pytest.mark.timeout(600)  # pip fetches the build backend on a fresh machine
def test_wheel_holds_resources_catalogs_and_fonts_inside_the_package(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {name.split("/")[0] for name in names}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"counsellor_app"}
    resources = {n.removeprefix("counsellor_app/resources/") for n in names
                 if n.startswith("counsellor_app/resources/")}  # fmt: skip
    assert _shipped_files("resources", "*") - resources == set()
    assert {"taxonomy.json", "fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf",
            "anonymity/first_names.txt", "icons/counsellor-app-256.png"} <= resources  # fmt: skip
    catalogs = {n.removeprefix("counsellor_app/i18n/") for n in names
                if n.startswith("counsellor_app/i18n/")}  # fmt: skip
    assert _shipped_files("i18n", "*.mo") == {"da/LC_MESSAGES/messages.mo",
                                              "en/LC_MESSAGES/messages.mo"}  # fmt: skip
    assert _shipped_files("i18n", "*.mo") <= catalogs
    assert not [n for n in catalogs if n.endswith((".po", ".pot"))]  # sources stay out


@pytest.mark.slow
@pytest.mark.gui
@pytest.mark.timeout(600)
def test_installed_wheel_passes_the_self_test_outside_the_source_tree(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    # The installed copy comes first on the path (the editable install's finder comes
    # last), and the working folder is not the checkout.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONPATH=str(target), QT_QPA_PLATFORM="offscreen",
               COUNSELLOR_APP_HOME=str(tmp_path / "home"))  # fmt: skip
    where = subprocess.run(
        [sys.executable, "-c",
         "from counsellor_app.core.paths import resource_path, catalog_dir;"
         "print(resource_path()); print(catalog_dir())"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60, check=True,
    ).stdout.split()  # fmt: skip
    assert where == [str(target / "counsellor_app" / "resources"),
                     str(target / "counsellor_app" / "i18n")]  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "counsellor_app", "--self-test"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "(from package metadata)" in lines[0]
    assert any(line.startswith("ok   translations: catalogs da, en") for line in lines)
    assert any(line.startswith("ok   resources:") for line in lines)
    assert any(line.startswith("ok   pdf:") for line in lines)
