"""The de-identification engine as it was before its detectors were sped up (frozen copy).

``patterns.py``, ``names.py`` and ``engine.py`` are the product's modules of November 2026,
unchanged but for their imports, which point at each other here. They scan the whole text
with every pattern; ``test_same_as_before.py`` checks that the faster product finds exactly
what they find. ``benchmarks/bench_deidentify.py --before`` times them beside the product.
Do not fix or change them: they are the reference.
"""
