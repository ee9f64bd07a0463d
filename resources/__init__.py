"""Data, not code: shipped inside the installed package as ``counsellor_app.resources``.

Find a file with :func:`counsellor_app.core.paths.resource_path`.
"""
