"""Sample uploads built with Pillow: real files of the kinds people (and attackers) send."""

from __future__ import annotations

from io import BytesIO

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
RED = (220, 20, 20)
BLUE = (20, 20, 220)


def encode(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def jpeg_with_gps(size: tuple[int, int] = (64, 48), orientation: int | None = None) -> bytes:
    """A camera-like JPEG: left half red, right half blue, with a GPS position (Lộc Ninh) and a camera model."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    if orientation is not None:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (11.0, 50.0, 12.5)  # GPSLatitude
    gps[3] = "E"
    gps[4] = (106.0, 35.0, 7.25)
    return encode(image, "JPEG", exif=exif, quality=95)


def pdf_bytes() -> bytes:
    """A real one-page PDF document."""
    return encode(Image.new("RGB", (40, 40), RED), "PDF")


def png_with_alpha(size: tuple[int, int] = (32, 32)) -> bytes:
    return encode(Image.new("RGBA", size, (10, 200, 10, 128)), "PNG")


def webp(size: tuple[int, int] = (40, 30)) -> bytes:
    return encode(Image.new("RGB", size, RED), "WEBP")


def gif(size: tuple[int, int] = (20, 20)) -> bytes:
    return encode(Image.new("RGB", size, RED), "GIF")


def huge_canvas_png(width: int, height: int) -> bytes:
    """A tiny file that claims a huge canvas: the shape of a decompression bomb."""
    return encode(Image.new("1", (width, height)), "PNG")
