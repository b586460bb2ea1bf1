"""Pictures of the commodities, shown (and shared as the link preview image) for a lot that has no photo.

Drawn with Pillow from flat shapes, in the colours of the small SVG the trace
page shows (templates/traceability/trace/_parts.html), so the preview matches
the page.
"""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw

# (background, ink) of each commodity's picture.
ILLUSTRATION_COLOURS = {
    "cashew": ("#f6e7c8", "#b86b25"),
    "pepper": ("#e4ecd9", "#2d3a25"),
    "rubber": ("#e3eee6", "#3f6d4e"),
}


@functools.lru_cache(maxsize=8)
def commodity_png(commodity: str) -> bytes:
    """A 1200 × 630 picture (the size link previews use) of the commodity, drawn once per process."""
    background, ink = ILLUSTRATION_COLOURS[commodity]
    image = Image.new("RGB", (1200, 630), background)
    draw = ImageDraw.Draw(image)
    if commodity == "cashew":
        draw.ellipse((430, 150, 770, 420), fill="#e9a23b")  # the apple
        draw.chord((470, 360, 730, 560), 180, 360, fill=ink)  # the nut under it
    elif commodity == "pepper":
        for index in range(14):
            x, y = 540 + (index % 3) * 60 - (index // 6) * 10, 140 + index * 26
            draw.ellipse((x, y, x + 56, y + 56), fill=ink)
        draw.line((600, 90, 600, 150), fill="#4f7a2a", width=12)
    else:
        draw.polygon([(600, 110), (470, 380), (730, 380)], fill="#f3f1ea")
        draw.ellipse((470, 290, 730, 520), fill="#f3f1ea", outline=ink, width=8)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
