"""``python -m tests.e2e.cli_fast_kdf ARGS`` is ``python -m counsellor_app ARGS``, except
that a notebook it makes gets the tests' cheap Argon2 costs (:data:`tests.helpers.FAST_KDF`)
instead of costs calibrated to take half a second on this computer.

The end-to-end tests start the command line some 200 times; with the calibrated costs a
process spent about a second on key derivation alone (``init``: the calibration, then the
passphrase's and the recovery key's slots; every later command: one unlock). The costs are
stored in the key file, so every later command on that notebook is cheap as well. What a
new notebook gets in the app itself is held by tests/unit/test_keys.py, and
``test_cli.py``'s first tests run the real ``counsellor_app`` with the calibrated costs.
Never imported by the app.
"""

from __future__ import annotations

import runpy

from counsellor_app.core import store
from counsellor_app.core.keys import KdfParams
from tests.helpers import FAST_KDF


def _fast_kdf(target: float = 0.0) -> KdfParams:
    return FAST_KDF


if __name__ == "__main__":
    store.calibrated_kdf = _fast_kdf
    runpy.run_module("counsellor_app", run_name="__main__", alter_sys=True)
