"""Checking and cleaning uploaded photos.

A photo is judged by its content, never by its name or the type the client claims:
Pillow must decode it as JPEG, PNG or WebP. It is then turned upright from its EXIF
orientation, shrunk to a sensible size and encoded afresh, so no EXIF (GPS position,
camera serial, time) or anything else hidden in the upload reaches storage.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import ValidationError
from core.files import messages

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
# Well under Pillow's own bomb limit (about 89 Mpx); phone cameras give 12-50 Mpx.
DEFAULT_MAX_PIXELS = 50_000_000
# Longest side kept: plenty for a trace page, and a 3G download stays reasonable.
MAX_SIDE = 2560
THUMBNAIL_SIDE = 480

# Pillow format → (format to write, content type, file extension). MPO is a camera JPEG with extra frames.
_OUTPUT = {
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    "MPO": ("JPEG", "image/jpeg", "jpg"),
    "PNG": ("PNG", "image/png", "png"),
    "WEBP": ("WEBP", "image/webp", "webp"),
}
_SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True, "progressive": True},
    "PNG": {"compress_level": 6},
    "WEBP": {"quality": 85, "method": 4},
}
_ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}


@dataclass(frozen=True)
class PreparedImage:
    data: bytes
    thumbnail: bytes
    content_type: str
    extension: str
    width: int
    height: int


def _refuse(message: str, detail: str) -> ValidationError:
    return ValidationError(detail, errors={"file": [message]})


def _too_large(max_bytes: int) -> ValidationError:
    # A number, so a Vietnamese page shows "0,5 MB"; its str() is the English "0.5" the API has always shown.
    limit = Decimal(f"{max_bytes / (1024 * 1024):g}")
    return _refuse(messages.PHOTO_TOO_LARGE(limit=limit), messages.FILE_TOO_LARGE)


def _too_many_pixels() -> ValidationError:
    return _refuse(messages.PHOTO_TOO_MANY_PIXELS, messages.IMAGE_TOO_MANY_PIXELS)


def read_upload(stream: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The uploaded bytes, reading no more than one byte past the limit."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    return data


def _encode(image: Image.Image, image_format: str, icc_profile: bytes | None) -> bytes:
    options = dict(_SAVE_OPTIONS[image_format])
    if icc_profile:
        options["icc_profile"] = icc_profile
    buffer = BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def _decode(data: bytes, max_pixels: int, max_side: int) -> tuple[Image.Image, str, bytes | None]:
    """The upright pixels in RGB (or RGBA), the source format and its RGB colour profile (if any)."""
    with Image.open(BytesIO(data), formats=("JPEG", "PNG", "WEBP")) as source:
        # Only the header is read so far: refuse a huge canvas before decoding it.
        if source.width * source.height > max_pixels:
            raise _too_many_pixels()
        source_format = source.format or ""
        if source_format not in _OUTPUT:
            raise UnidentifiedImageError(f"unexpected image format {source_format!r}")
        if source_format in {"JPEG", "MPO"}:
            source.draft("RGB", (max_side, max_side))  # decode big JPEGs at a reduced scale
        source.load()
        icc_profile = source.info.get("icc_profile") if source.mode in {"RGB", "RGBA"} else None
        upright = ImageOps.exif_transpose(source)
    has_alpha = upright.mode in _ALPHA_MODES or (upright.mode == "P" and "transparency" in upright.info)
    mode = "RGBA" if has_alpha and _OUTPUT[source_format][0] != "JPEG" else "RGB"
    if upright.mode != mode:
        upright = upright.convert(mode)
    return upright, source_format, icc_profile


def prepare_image(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_side: int = MAX_SIDE,
    thumbnail_side: int = THUMBNAIL_SIDE,
) -> PreparedImage:
    """Check ``data`` is a JPEG, PNG or WebP photo and return it re-encoded, with a thumbnail.

    Raises ``ValidationError`` (errors on "file") for anything else.
    """
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    try:
        image, source_format, icc_profile = _decode(data, max_pixels, max_side)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own limit; the warning only raises where warnings are errors (as in tests),
        # elsewhere the pixel check above has refused the image already.
        raise _too_many_pixels() from None
    except UnidentifiedImageError:
        raise _refuse(messages.PHOTO_NOT_SUPPORTED, messages.IMAGE_NOT_SUPPORTED) from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, Warning):
        raise _refuse(messages.PHOTO_UNREADABLE, messages.IMAGE_UNREADABLE) from None

    image_format, content_type, extension = _OUTPUT[source_format]
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # A fresh image from the bare pixels carries no metadata from the upload at all.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    thumbnail = clean.copy()
    thumbnail.thumbnail((thumbnail_side, thumbnail_side), Image.Resampling.LANCZOS)
    return PreparedImage(
        data=_encode(clean, image_format, icc_profile),
        thumbnail=_encode(thumbnail, image_format, icc_profile),
        content_type=content_type,
        extension=extension,
        width=clean.width,
        height=clean.height,
    )
