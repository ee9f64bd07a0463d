"""Helpers shared by the test folders (no Qt here: the unit tests import it too).

Test modules import helpers from here or from ``tests/gui/helpers.py``, never from
another test module, so that each test module can be run, moved or deleted alone.
"""

from __future__ import annotations

from counsellor_app.core.keys import KdfParams

#: A cheap Argon2id cost so that tests can make many notebooks; the app always uses the
#: default (tests/unit/test_keys.py covers that the default is what a notebook gets).
FAST_KDF = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)

#: The passphrase of the unit tests' notebooks (the ``passphrase`` fixture gives it too).
PASSPHRASE = "korrekt hest batteri hæfteklamme"
