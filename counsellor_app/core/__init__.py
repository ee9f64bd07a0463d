"""The Qt-free core: domain, encrypted notebook, anonymity, exchange and reports.

Nothing in this package may import Qt; ``tests/unit/test_core_is_qt_free.py`` enforces it.
"""
