"""The performance suite: ``python -m benchmarks`` (``make bench``) measures the paths users wait on.

Not a test: nothing here passes or fails a build. Each benchmark compares its path with a baseline taken in the
same run on the same machine (a trivial view, hand-written SQL, a plain insert) and writes
``benchmarks/results/<name>.json``; ``benchmarks/README.md`` explains how to read them.
"""
