"""The performance suite: ``python -m benchmarks`` (``make bench``) times the hot paths and records the results.

Not a test: nothing here passes or fails. Each run writes one JSON file per
database backend to ``benchmarks/results/<date>-<name>.json`` so that runs can
be compared over time.
"""
