"""What the photo upload says in its refusals: each problem ``detail`` with its stable code.

The field messages beside them (``errors.file``) follow the caller's language and are translated
where they are raised, as the API has always answered them.
"""

from __future__ import annotations

from core.messages import N_, Message

# Checking uploaded photos
FILE_TOO_LARGE = Message("file_too_large", N_("The file is too large."))
IMAGE_TOO_MANY_PIXELS = Message("image_too_many_pixels", N_("The image has too many pixels."))
IMAGE_NOT_SUPPORTED = Message("image_not_supported", N_("The file is not a JPEG, PNG or WebP image."))
IMAGE_UNREADABLE = Message("image_unreadable", N_("The image could not be decoded."))

# Serving stored files
FILE_NOT_FOUND = Message("file_not_found", N_("File not found."))
