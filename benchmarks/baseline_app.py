"""The ceiling: a trivial Flask app that sends the bytes in ``BASELINE_BODY`` (a file) as text/html.

Served by the same gunicorn and ``gunicorn.conf.py`` as the real app, it is what this machine can do for a response
of that size when the view does nothing; the benchmarks divide the real paths' requests/s by its.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response

app = Flask(__name__)
BODY = Path(os.environ["BASELINE_BODY"]).read_bytes()


@app.get("/")
def page() -> Response:
    return Response(BODY, mimetype="text/html")
