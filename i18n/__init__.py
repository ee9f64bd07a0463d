"""Gettext catalogs, shipped inside the installed package as ``counsellor_app.i18n``.

The app finds them with :func:`counsellor_app.core.paths.catalog_dir`; ``scripts/i18n.py``
extracts, updates and compiles them.
"""
