"""Bad input to the supervisor's import: 1,100 malformed, truncated, oversized, wrongly
encrypted and schema-violating bundles made by hypothesis (derandomized: the same ones on
every run). Each is either imported whole or refused with one plain sentence naming the
file; a refusal writes nothing (the connection's change counter does not move); nothing
crashes (any exception out of ``import_bundles`` fails the test) and nothing takes long.
"""

from __future__ import annotations

import copy
import json
import random
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyrage import x25519

from counsellor_app.core.domain import Role
from counsellor_app.core.exchange import BundleError, ensure_key_pair
from counsellor_app.core.exchange.crypto import AGE_MAGIC, encrypt
from counsellor_app.core.exchange.format import (
    FORMAT_VERSION,
    MAX_TEXT,
    bundle_from_json,
    bundle_to_dict,
)
from counsellor_app.core.exchange.signing import KeyCard, sign_with, verify
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import (
    MAX_BUNDLE_BYTES,
    ImportStatus,
    enrol_key_card,
    import_bundles,
)
from tests.faults.support import (
    PASSPHRASE,
    consistent_import,
    one_sentence,
    synthetic_bundle,
    synthetic_signer,
)
from tests.helpers import FAST_KDF

#: No single file may take longer than this to import or refuse (a hang would).
SLOW_S = 5.0

REASONS = {
    "altered",
    "wrong_key",
    "not_a_bundle",
    "not_encrypted",
    "too_new",
    "invalid",
    "unreadable",
    "too_large",
    "old_format",
    "bad_signature",
    "key_mismatch",
    "unknown_signer",
    "wrong_recipient",
}


class Supervisor:
    """A supervisor's notebook shared by every example of a test, and what it imported."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.notebook, _key = Notebook.create(
            folder / "supervisor.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=FAST_KDF
        )
        self.key = ensure_key_pair(self.notebook)
        self.recipient = x25519.Recipient.from_str(self.key)
        self.imported: dict[str, Any] = {}
        self.outcomes: dict[str, int] = {}
        self.count = 0
        rng = random.Random(5)
        self.good_bundle = synthetic_bundle(rng, cases=3)
        self.good_dict = dict(bundle_to_dict(self.good_bundle), recipient=self.key)
        # The counsellor's key is pinned: fuzzed contents are signed with it, so they
        # reach the validation (signed but hostile) instead of stopping at the signature.
        self.signer = synthetic_signer()
        raw = self.signer.public_key().public_bytes_raw()
        enrol_key_card(self.notebook, KeyCard(self.good_bundle.header.counsellor_id, raw))
        self.good_file = self.seal(json.dumps(self.good_dict).encode())

    def seal(self, plaintext: bytes, recipient: Any = None) -> bytes:
        """``plaintext`` signed with the pinned key and encrypted (to this notebook)."""
        return encrypt(sign_with(self.signer, plaintext), recipient or self.recipient)

    def changes(self) -> int:
        """Rows written on the notebook's connection so far (SQLite's own count)."""
        return int(self.notebook.query("SELECT total_changes()")[0][0])

    def check(self, content: bytes) -> None:
        """Import ``content`` as a file; it is imported whole or refused cleanly."""
        self.count += 1
        path = self.folder / f"bundle {self.count}.cnbundle"
        path.write_bytes(content)
        changes = self.changes()
        started = time.monotonic()
        (result,) = import_bundles(self.notebook, [path]).results
        took = time.monotonic() - started
        assert took < SLOW_S, f"{took:.1f} s for one file"
        self.outcomes[result.status] = self.outcomes.get(result.status, 0) + 1
        if result.status == ImportStatus.REFUSED:
            error = result.error
            assert isinstance(error, BundleError)
            assert error.reason in REASONS, error.reason
            text = str(error)
            assert one_sentence(text) and path.name in text and len(text) < 600, text
            assert self.changes() == changes, "a refusal wrote"
        elif result.status == ImportStatus.IMPORTED:
            from counsellor_app.core.exchange.crypto import decrypt

            bundle = bundle_from_json(verify(decrypt(self.notebook, content, path)).payload)
            self.imported[bundle.header.bundle_id] = bundle
        path.unlink()

    def close(self) -> None:
        with self.notebook:
            assert self.notebook.integrity_check()
            consistent_import(self.notebook, self.imported)


@pytest.fixture(scope="module")
def supervisor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Supervisor]:
    made = Supervisor(tmp_path_factory.mktemp("fuzz"))
    yield made
    made.close()


FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ---------------------------------------------------------------------- bytes


@st.composite
def damaged_file(draw: st.DrawFn, good: bytes) -> bytes:
    kind = draw(
        st.sampled_from(["truncate", "flip", "insert", "garbage", "age garbage", "splice", "armor"])
    )
    if kind == "truncate":
        return good[: draw(st.integers(0, len(good) - 1))]
    if kind == "flip":
        data = bytearray(good)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] ^= 1 << draw(st.integers(0, 7))
        return bytes(data)
    if kind == "insert":
        at = draw(st.integers(0, len(good)))
        return good[:at] + draw(st.binary(min_size=1, max_size=64)) + good[at:]
    if kind == "garbage":
        return draw(st.binary(max_size=4096))
    if kind == "age garbage":
        return AGE_MAGIC + draw(st.binary(max_size=2048))
    if kind == "splice":  # the header of one file, the body of another
        cut = draw(st.integers(1, len(good) - 1))
        return good[:cut] + draw(st.binary(min_size=1, max_size=2048))
    return b"-----BEGIN AGE ENCRYPTED FILE-----\n" + draw(st.binary(max_size=512))


@settings(FUZZ, max_examples=400)
@given(data=st.data())
def test_damaged_and_foreign_files(supervisor: Supervisor, data: st.DataObject) -> None:
    content = data.draw(damaged_file(supervisor.good_file))
    if content == supervisor.good_file:
        return
    supervisor.check(content)
    assert supervisor.outcomes.get(ImportStatus.IMPORTED, 0) == 0  # no damage gets in


# ---------------------------------------------------------------------- content

HOSTILE_TEXTS = [
    "",
    "\ud800",  # half of a surrogate pair: no UTF-8 for it
    "a\udfffb",
    "\x00",
    "\u202e\u200f" * 10,
    "👨‍👩‍👧" * 50,
    "x" * (MAX_TEXT + 1),
    "é" * MAX_TEXT,
    "2026-02-30",
    "0000-01-01",
    "closed",
    "overall",
    "C-AAAAAAAAAA",
    "a" * 26,
    str(uuid.UUID(int=1)),
    "[navn]",
    "\n" * 1000,
]
HOSTILE_NUMBERS = [-1, 0, 1, 2**31, 2**63, 10**30, -(10**30), 1.5, float("nan"), float("inf")]
#: Replaced in the JSON text itself (json.dumps cannot write them).
BIG_NUMBER = "HUGE-NUMBER-HERE"

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.sampled_from(HOSTILE_NUMBERS)
    | st.integers()
    | st.sampled_from(HOSTILE_TEXTS)
    | st.text(max_size=20)
    | st.just(BIG_NUMBER),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=8,
)


def places(value: Any, into: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key) of a JSON value, the root's children first."""
    if isinstance(value, dict):
        for key, child in value.items():
            into.append((value, key))
            places(child, into)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            into.append((value, index))
            places(child, into)
    return into


@st.composite
def schema_violation(draw: st.DrawFn, good: dict[str, Any]) -> bytes:
    data = copy.deepcopy(good)
    data["bundle_id"] = str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)), version=4))
    for _ in range(draw(st.integers(1, 3))):
        container, key = draw(st.sampled_from(places(data, [])))
        action = draw(st.sampled_from(["replace", "delete", "add", "copy", "nest"]))
        if action == "replace":
            container[key] = draw(json_values)
        elif action == "delete":
            del container[key]
        elif action == "add" and isinstance(container, dict):
            container[draw(st.sampled_from(["extra", "\ud800", "x" * 5000, "ref"]))] = draw(
                json_values
            )
        elif action == "copy" and isinstance(container, list):
            container.append(copy.deepcopy(container[key]))  # e.g. a case twice
        elif action == "nest":
            value: Any = container[key]
            for _ in range(draw(st.integers(1, 200))):
                value = [value]
            container[key] = value
        if not places(data, []):
            break
    writing = draw(st.sampled_from(["ascii", "utf-8", "cut", "bad utf-8", "version", "deep"]))
    if writing == "version":
        data["format_version"] = draw(st.sampled_from([FORMAT_VERSION + 1, 0, "1", None]))
    text = json.dumps(data, ensure_ascii=writing != "utf-8", allow_nan=True)
    text = text.replace(f'"{BIG_NUMBER}"', "9" * draw(st.sampled_from([20, 5000])))
    raw = text.encode("utf-8", "surrogatepass")
    if writing == "cut":
        raw = raw[: draw(st.integers(0, len(raw) - 1))]
    elif writing == "bad utf-8":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + b"\xff\xfe\xc3" + raw[at:]
    elif writing == "deep":
        raw = b"[" * 100_000 + raw + b"]" * 100_000
    return raw


@settings(FUZZ, max_examples=700)
@given(data=st.data())
def test_schema_violating_bundles(supervisor: Supervisor, data: st.DataObject) -> None:
    plaintext = data.draw(schema_violation(supervisor.good_dict))
    supervisor.check(supervisor.seal(plaintext))


# ---------------------------------------------------------------------- size and keys


def test_oversized_file_is_refused_before_it_is_read(supervisor: Supervisor) -> None:
    path = supervisor.folder / "huge.cnbundle"
    with open(path, "wb") as handle:  # sparse: no disk space used
        handle.write(supervisor.good_file)
        handle.truncate(MAX_BUNDLE_BYTES + 1)
    started = time.monotonic()
    (result,) = import_bundles(supervisor.notebook, [path]).results
    assert time.monotonic() - started < 1.0
    assert result.status == ImportStatus.REFUSED and result.error is not None
    assert result.error.reason == "too_large" and one_sentence(str(result.error))
    path.unlink()


def test_good_bundle_for_another_key_and_the_good_one(supervisor: Supervisor) -> None:
    other = x25519.Identity.generate().to_public()
    supervisor.check(supervisor.seal(json.dumps(supervisor.good_dict).encode(), other))
    assert supervisor.outcomes[ImportStatus.REFUSED] >= 1
    before = supervisor.outcomes.get(ImportStatus.IMPORTED, 0)
    supervisor.check(supervisor.good_file)  # after all the bad ones, the good one goes in
    assert supervisor.outcomes.get(ImportStatus.IMPORTED, 0) == before + 1


def test_the_fuzzing_tries_enough(tmp_path: Path) -> None:
    """At least 1,000 bad files are tried: the fuzzing above, run here on a notebook of
    this test's own (so that it holds alone and in any order, not only after them)."""
    own = Supervisor(tmp_path)
    test_damaged_and_foreign_files(supervisor=own)
    test_schema_violating_bundles(supervisor=own)
    own.close()
    assert own.count >= 1_000
    assert own.outcomes[ImportStatus.REFUSED] >= 1_000
    print(f"\nbundles tried: {own.count}, outcomes: {own.outcomes}")
