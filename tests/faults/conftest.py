"""Fixtures of the fault tests: fork servers for the whole run (see zygote.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from tests.faults.support import ForkServer

if not sys.platform.startswith("linux"):
    # These need fork(), SIGKILL, /proc, RLIMIT_FSIZE, mount namespaces and chattr.
    collect_ignore_glob = ["test_crash_*.py", "test_disk_faults.py"]


@pytest.fixture(scope="session")
def zygotes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[ForkServer]]:
    """Two fork servers (CI has two cores: the typing test kills in two lanes at once)."""
    folder = tmp_path_factory.mktemp("zygote")
    servers = [ForkServer(folder / f"stderr-{i}.log") for i in range(2)]
    try:
        yield [server.wait_ready() for server in servers]
    finally:
        for server in servers:
            server.close()


@pytest.fixture
def zygote(zygotes: list[ForkServer]) -> ForkServer:
    return zygotes[0]
