"""The commodity pictures a lot without photos shares as its link preview."""

import io

import pytest
from PIL import Image

from traceability.services.illustrations import ILLUSTRATION_COLOURS, commodity_png


@pytest.mark.parametrize("commodity", sorted(ILLUSTRATION_COLOURS))
def test_each_commodity_is_a_preview_sized_png_in_its_colours(commodity):
    picture = Image.open(io.BytesIO(commodity_png(commodity)))
    assert (picture.format, picture.size) == ("PNG", (1200, 630))
    background, _ink = ILLUSTRATION_COLOURS[commodity]
    red, green, blue = picture.convert("RGB").getpixel((5, 5))
    assert f"#{red:02x}{green:02x}{blue:02x}" == background


def test_the_pictures_differ():
    assert len({commodity_png(commodity) for commodity in ILLUSTRATION_COLOURS}) == len(ILLUSTRATION_COLOURS)
