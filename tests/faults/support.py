"""Helpers of the fault tests: the fork server's client, file scans, damage, sentences."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "korrekt hest batteri hæfteklamme"


@dataclass
class Event:
    e: str
    pid: int
    t: float
    fields: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]


class Run:
    """One forked child: its events as they come, and the means to kill it."""

    def __init__(self, server: ForkServer, child: int) -> None:
        self.server = server
        self.child = child
        self.events: list[Event] = []
        self.exited: Event | None = None

    def _take(self, timeout: float) -> Event | None:
        try:
            event = self.server._events.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None
        if event.pid != self.child and event.fields.get("child") != self.child:
            return event  # an earlier child's last words: not this run's
        if event.e == "exit":
            self.exited = event
        elif event.e == "error":
            self.events.append(event)
            self.wait_exit()
            raise AssertionError(f"the child failed:\n{event['text']}")
        else:
            self.events.append(event)
        return event

    def wait_for(self, name: str, timeout: float = 30.0) -> Event:
        """The first event called ``name`` (waiting for it up to ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.e == name:
                return event
        while True:
            if self.exited is not None:
                raise AssertionError(f"the child exited before {name!r}: {self.events[-3:]}")
            event = self._take(deadline - time.monotonic())
            if event is None:
                self.kill()
                raise AssertionError(f"no {name!r} from the child within {timeout} s")
            if event.e == name:
                return event

    def collect(self, seconds: float) -> None:
        """Take events for ``seconds`` (the child keeps working meanwhile)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.exited is None:
            self._take(deadline - time.monotonic())

    def kill(self) -> float:
        """SIGKILL the child now; returns the moment (``time.monotonic``) of the kill."""
        moment = time.monotonic()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.child, signal.SIGKILL)
        return moment

    def wait_exit(self, timeout: float = 60.0) -> Event:
        """Every event up to the child's end (the server has reaped it)."""
        deadline = time.monotonic() + timeout
        while self.exited is None:
            if self._take(deadline - time.monotonic()) is None and self.exited is None:
                self.kill()
                if time.monotonic() > deadline + 10:
                    raise AssertionError("the child did not end")
        return self.exited

    def named(self, name: str) -> list[Event]:
        return [event for event in self.events if event.e == name]


class ForkServer:
    """The client of ``tests/faults/zygote.py``: one server, a child per :meth:`run`."""

    def __init__(self, log: Path) -> None:
        env = os.environ.copy()
        env["QT_QPA_PLATFORM"] = "offscreen"
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        self._stderr = open(log, "wb")  # noqa: SIM115 (closed in close())
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.zygote"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self._log = log
        self._events: queue.Queue[Event] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._ready = False

    def wait_ready(self) -> ForkServer:
        """Wait for the server's imports (a second or two); returns the server."""
        if not self._ready:
            ready = self._events.get(timeout=120)
            assert ready.e == "zygote-ready", (ready, self._log.read_text(errors="replace"))
            self._ready = True
        return self

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            data = json.loads(line)
            self._events.put(Event(data.pop("e"), data.pop("pid"), data.pop("t"), data))

    def run(self, job: str, **args: Any) -> Run:
        """Fork a child running ``job``; returns once it has started."""
        self.wait_ready()
        assert self._process.stdin is not None
        while not self._events.empty():  # nothing of an earlier child is left over
            self._events.get_nowait()
        self._process.stdin.write((json.dumps({"job": job, "args": args}) + "\n").encode())
        self._process.stdin.flush()
        deadline = time.monotonic() + 30
        early: list[Event] = []
        while True:
            event = self._events.get(timeout=max(0.1, deadline - time.monotonic()))
            if event.e == "started":
                run = Run(self, event["child"])
                run.events.extend(early)
                return run
            early.append(event)  # the child may speak before the server says it started

    def run_to_end(self, job: str, timeout: float = 60.0, **args: Any) -> Run:
        run = self.run(job, **args)
        run.wait_exit(timeout)
        assert run.exited is not None
        if run.exited["status"] != 0:
            raise AssertionError(f"{job} ended with status {run.exited['status']}: {run.events}")
        return run

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._stderr.close()


# ---------------------------------------------------------------------- files


def files_under(*roots: Path) -> list[Path]:
    return sorted(p for root in roots if root.exists() for p in root.rglob("*") if p.is_file())


def encodings_of(marker: str) -> list[bytes]:
    """``marker`` as any of the encodings a file might hold it in."""
    return [marker.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]


def found_in_clear(markers: list[str], *roots: Path) -> list[tuple[str, str]]:
    """(marker, file) for every marker found in clear in a file under ``roots``."""
    hits = []
    for path in files_under(*roots):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        for marker in markers:
            if any(form in data for form in encodings_of(marker)):
                hits.append((marker, str(path)))
    return hits


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """``chattr +i``: even root can neither write nor create files there (ext4 and most
    Linux file systems); skips the test where the file system or kernel refuses."""
    import pytest

    result = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"chattr +i is not available here: {result.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def one_sentence(text: str) -> bool:
    """A message for a person: one line, no traceback, no Python names."""
    return (
        bool(text.strip())
        and "\n" not in text
        and "Traceback" not in text
        and "Error(" not in text
        and "errno" not in text.lower()
    )


# ---------------------------------------------------------------------- bundles

_REF_LETTERS = "abcdefghijklmnopqrstuvwxyz234567"
_ID_LETTERS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def synthetic_bundle(
    rng: Any,
    counsellor: str | None = None,
    sequence: int = 1,
    refs: list[str] | None = None,
    cases: int = 5,
) -> Any:
    """A valid summary bundle (the format's own dataclasses) with random content: made
    directly, without a counsellor's notebook, so that tests can make hundreds."""
    import uuid
    from datetime import date, timedelta

    from counsellor_app.core.domain import (
        AgeBand,
        AllianceStatus,
        CaseStatus,
        Channel,
        ConcernDecision,
        ConcernSigns,
        Consent,
        Partner,
        Step,
        WellbeingLevel,
    )
    from counsellor_app.core.exchange.format import (
        Bundle,
        BundleAlliance,
        BundleCase,
        BundleConcern,
        BundleConversation,
        BundleFollowUp,
        BundleHeader,
        FollowUpOutcome,
    )

    counsellor = counsellor or "C-" + "".join(rng.choice(_ID_LETTERS) for _ in range(10))
    refs = refs or ["".join(rng.choice(_REF_LETTERS) for _ in range(26)) for _ in range(cases)]
    start = date(2026, 1, 1)
    made = []
    for ref in refs:
        talks = tuple(
            BundleConversation(
                day=start + timedelta(days=rng.randrange(60)),
                channel=rng.choice(list(Channel)),
                duration_minutes=rng.randrange(90),
                wellbeing={"school": rng.choice(list(WellbeingLevel))},
                steps_covered=(Step.LISTEN,),
                summary={step: f"Samtale om [navn] og skolen {rng.random()}" for step in Step},
            )
            for _ in range(rng.randrange(1, 5))
        )
        made.append(
            BundleCase(
                ref=ref,
                status=rng.choice(list(CaseStatus)),
                age_band=rng.choice(list(AgeBand)),
                themes=("anxiety",),
                conversations=talks,
                alliances=tuple(
                    BundleAlliance(
                        rng.choice(list(Partner)),
                        rng.choice(list(AllianceStatus)),
                        Consent.GIVEN,
                        start,
                        "lærer",
                        "ugentlig besked",
                    )
                    for _ in range(rng.randrange(3))
                ),
                follow_ups=tuple(
                    BundleFollowUp(start, FollowUpOutcome.PENDING, None, "ringe", "", "")
                    for _ in range(rng.randrange(3))
                ),
                concerns=tuple(
                    BundleConcern(start, ConcernSigns.UNSURE, ConcernDecision.NOT_NEEDED, "x")
                    for _ in range(rng.randrange(2))
                ),
            )
        )
    header = BundleHeader(
        bundle_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        app_version="0.1.0",
        taxonomy_version=1,
        counsellor_id=counsellor,
        sequence=sequence,
        # after every day in it (no conversation after its bundle), and not in the future
        created_on=start + timedelta(days=90 + min(sequence, 200)),
        period_from=start,
        period_to=start + timedelta(days=90),
    )
    return Bundle(header, tuple(made))


def synthetic_signer() -> Any:
    """The signing key of the synthetic counsellors (fixed, so runs are the same)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


def write_bundle(bundle: Any, key: str, path: Path) -> Path:
    """Sign ``bundle`` (with :func:`synthetic_signer`) for the public ``key``, encrypt it to
    that key as the app does and write it to ``path``."""
    from dataclasses import replace

    from pyrage import x25519

    from counsellor_app.core.exchange.crypto import encrypt
    from counsellor_app.core.exchange.format import bundle_to_json
    from counsellor_app.core.exchange.signing import sign_with

    bundle = replace(bundle, header=replace(bundle.header, recipient=key))
    signed = sign_with(synthetic_signer(), bundle_to_json(bundle))
    path.write_bytes(encrypt(signed, x25519.Recipient.from_str(key)))
    return path


def consistent_import(notebook: Any, bundles: dict[str, Any]) -> None:
    """Every imported case has exactly the conversations, alliances, follow-ups and
    concerns of the bundle it came from; every bundle's cases are all there."""
    rows = notebook.query(
        "SELECT c.id, c.counsellor_id, c.ref, b.bundle_id FROM imported_cases c "
        "JOIN imported_bundles b ON b.id = c.bundle"
    )
    counts: dict[str, Counter[int]] = {}
    for table in ("conversations", "alliances", "follow_ups", "concerns"):
        counts[table] = Counter(
            row[0] for row in notebook.query(f"SELECT case_id FROM imported_{table}")
        )
    held = {(row[1], row[2]) for row in rows}
    for case_id, _counsellor, ref, bundle_id in rows:
        (case,) = [c for c in bundles[bundle_id].cases if c.ref == ref]
        assert counts["conversations"][case_id] == len(case.conversations)
        assert counts["alliances"][case_id] == len(case.alliances)
        assert counts["follow_ups"][case_id] == len(case.follow_ups)
        assert counts["concerns"][case_id] == len(case.concerns)
    for bundle_id, case_count in notebook.query(
        "SELECT bundle_id, case_count FROM imported_bundles"
    ):
        bundle = bundles[bundle_id]
        assert case_count == len(bundle.cases)
        assert all((bundle.header.counsellor_id, c.ref) in held for c in bundle.cases)
