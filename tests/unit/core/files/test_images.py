"""Photos are judged by content, cleaned of metadata, turned upright and given a thumbnail."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from core.errors import ValidationError
from core.files.images import MAX_SIDE, THUMBNAIL_SIDE, prepare_image, read_upload
from tests.unit.core.files.samples import (
    BLUE,
    GPS_IFD,
    ORIENTATION,
    RED,
    encode,
    gif,
    huge_canvas_png,
    jpeg_with_gps,
    pdf_bytes,
    png_with_alpha,
    webp,
)


def _open(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def _close_to(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def _refusal(data: bytes, **limits) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        prepare_image(data, **limits)
    assert set(caught.value.errors) == {"file"}
    return caught.value.errors["file"]


def test_a_pdf_is_refused_as_not_a_photo():
    data = pdf_bytes()
    assert data.startswith(b"%PDF")
    assert _refusal(data) == ["This file is not a photo in JPEG, PNG or WebP format."]


@pytest.mark.parametrize(
    "data",
    [gif(), b"", b"GIF89a not really", b"\xff\xd8\xff\xe0 junk after a JPEG marker"],
    ids=["gif", "empty", "text", "fake-jpeg-header"],
)
def test_other_files_are_refused(data):
    assert len(_refusal(data)) == 1


def test_a_truncated_jpeg_is_refused_as_damaged():
    data = jpeg_with_gps(size=(400, 300))
    assert _refusal(data[: len(data) // 2]) == ["The photo could not be read; the file may be damaged."]


def test_gps_and_camera_metadata_are_removed():
    original = jpeg_with_gps()
    assert _open(original).getexif().get_ifd(GPS_IFD), "the sample must carry GPS to prove anything"

    prepared = prepare_image(original)

    for data in (prepared.data, prepared.thumbnail):
        cleaned = _open(data)
        assert cleaned.format == "JPEG"
        assert not cleaned.getexif().get_ifd(GPS_IFD)
        assert len(cleaned.getexif()) == 0
        assert b"Exif" not in data and b"PhoneMaker" not in data


def test_exif_orientation_is_applied_before_the_metadata_goes():
    # Orientation 6: the camera was turned; viewers rotate the picture 90° clockwise.
    prepared = prepare_image(jpeg_with_gps(size=(200, 100), orientation=6))

    upright = _open(prepared.data).convert("RGB")
    assert (prepared.width, prepared.height) == upright.size == (100, 200)
    # The left (red) half of the sensor image is now the top half of the photo.
    assert _close_to(upright.getpixel((50, 30)), RED)
    assert _close_to(upright.getpixel((50, 170)), BLUE)
    assert ORIENTATION not in _open(prepared.data).getexif()


def test_the_stored_photo_is_shrunk_and_the_thumbnail_is_small():
    prepared = prepare_image(encode(Image.new("RGB", (3000, 1500), RED), "JPEG"))

    assert (prepared.width, prepared.height) == (MAX_SIDE, MAX_SIDE // 2)
    assert _open(prepared.data).size == (MAX_SIDE, MAX_SIDE // 2)
    assert _open(prepared.thumbnail).size == (THUMBNAIL_SIDE, THUMBNAIL_SIDE // 2)


def test_small_photos_keep_their_size():
    prepared = prepare_image(jpeg_with_gps(size=(64, 48)))
    assert (prepared.width, prepared.height) == (64, 48)
    assert _open(prepared.thumbnail).size == (64, 48)


def test_png_keeps_transparency_and_webp_stays_webp():
    png = prepare_image(png_with_alpha())
    assert (png.content_type, png.extension) == ("image/png", "png")
    assert _open(png.data).mode == "RGBA"
    assert _open(png.data).getpixel((1, 1))[3] == 128

    web = prepare_image(webp())
    assert (web.content_type, web.extension) == ("image/webp", "webp")
    assert _open(web.data).format == "WEBP"


def test_a_file_over_the_byte_limit_is_refused():
    data = jpeg_with_gps(size=(400, 300))
    assert _refusal(data, max_bytes=len(data) - 1) == [
        f"The photo is larger than {(len(data) - 1) / (1024 * 1024):g} MB."
    ]
    assert prepare_image(data, max_bytes=len(data)).width == 400


def test_reading_an_upload_stops_just_past_the_limit():
    stream = BytesIO(b"x" * 1000)
    with pytest.raises(ValidationError):
        read_upload(stream, max_bytes=100)
    assert stream.tell() == 101
    assert read_upload(BytesIO(b"x" * 100), max_bytes=100) == b"x" * 100


def test_too_many_pixels_are_refused_before_decoding():
    data = huge_canvas_png(2000, 2000)
    assert _refusal(data, max_pixels=1_000_000) == ["The photo has too many pixels. Please send a smaller photo."]


@pytest.mark.parametrize("side", [10_000, 14_000], ids=["pillow-warning", "pillow-error"])
def test_decompression_bombs_are_refused_even_above_our_own_limit(side):
    # 100 Mpx is past Pillow's warning threshold, 196 Mpx past its hard error.
    data = huge_canvas_png(side, side)
    assert len(data) < 100_000
    assert _refusal(data, max_pixels=10**12) == ["The photo has too many pixels. Please send a smaller photo."]
