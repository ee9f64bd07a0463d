"""requirements/lock.txt, the exact versions CI and the packaged builds install (issue
15), holds every dependency of pyproject.toml at a version it allows, each with hashes:
a dependency added or raised without regenerating the lock fails here, not in a build."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lock.txt"
ENVIRONMENTS = [
    {"python_version": python, "python_full_version": f"{python}.0", "sys_platform": platform}
    for python in ("3.11", "3.12")
    for platform in ("linux", "win32", "darwin")
]


def _pins() -> list[tuple[str, str, Marker | None, int]]:
    """(name, version, marker, number of hashes) of each entry of the lock."""
    text = LOCK.read_text(encoding="utf-8")
    pins = []
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text):
        head = entry.split("\\", 1)[0].strip()
        if not head or head.startswith("#"):
            continue
        requirement, _sep, marker = head.partition(";")
        name, _eq, version = requirement.strip().partition("==")
        hashes = entry.count("--hash=sha256:")
        pins.append(
            (canonicalize_name(name), version, Marker(marker) if marker.strip() else None, hashes)
        )
    return pins


def _required() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    return [
        Requirement(text)
        for text in [*project["dependencies"], *extras["test"], *extras["package"]]
    ]


def test_every_entry_is_pinned_with_hashes() -> None:
    pins = _pins()
    assert len(pins) > 20
    assert all(version and hashes for _name, version, _marker, hashes in pins)


@pytest.mark.parametrize(
    "environment", ENVIRONMENTS, ids=lambda e: f"{e['python_version']}-{e['sys_platform']}"
)
def test_every_dependency_is_locked_at_an_allowed_version(environment: dict[str, str]) -> None:
    pins = [
        (name, version)
        for name, version, marker, _hashes in _pins()
        if marker is None or marker.evaluate(environment)
    ]
    for requirement in _required():
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        locked = [version for name, version in pins if name == canonicalize_name(requirement.name)]
        assert len(locked) == 1, f"{requirement.name} is not locked once for {environment}"
        assert requirement.specifier.contains(locked[0], prereleases=True), (
            f"{requirement.name}=={locked[0]} in the lock, pyproject.toml asks {requirement}"
        )
