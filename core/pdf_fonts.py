"""The fonts our PDFs are written in: DejaVu Sans, shipped in ``static/fonts``, with every Vietnamese letter.

``register()`` makes them known to reportlab once per process (labels and report summaries both call it).
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[1] / "static" / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_lock = threading.Lock()


def register() -> None:
    """Register DejaVu Sans (regular and bold) with reportlab once per process."""
    with _lock:
        known = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
            if name not in known:
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
