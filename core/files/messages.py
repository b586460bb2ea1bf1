"""What the photo upload says in its refusals: each problem ``detail`` with its stable code.

The field messages beside them (``errors.file``) are Messages too: the API shows their English text,
a page translates them where it shows them (``|translate``).
"""

from __future__ import annotations

from core.messages import N_, Message

# Checking uploaded photos
FILE_TOO_LARGE = Message("file_too_large", N_("The file is too large."))
IMAGE_TOO_MANY_PIXELS = Message("image_too_many_pixels", N_("The image has too many pixels."))
IMAGE_NOT_SUPPORTED = Message("image_not_supported", N_("The file is not a JPEG, PNG or WebP image."))
IMAGE_UNREADABLE = Message("image_unreadable", N_("The image could not be decoded."))

# The field messages beside them (errors.file), in the words a person taking a photo reads
PHOTO_TOO_LARGE = Message("file_too_large", N_("The photo is larger than %(limit)s MB."))
PHOTO_TOO_MANY_PIXELS = Message(
    "image_too_many_pixels", N_("The photo has too many pixels. Please send a smaller photo.")
)
PHOTO_NOT_SUPPORTED = Message("image_not_supported", N_("This file is not a photo in JPEG, PNG or WebP format."))
PHOTO_UNREADABLE = Message("image_unreadable", N_("The photo could not be read; the file may be damaged."))

# Serving stored files
FILE_NOT_FOUND = Message("file_not_found", N_("File not found."))
