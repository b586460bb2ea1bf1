"""What the traceability services say to people: each message with its stable code and English template.

Services raise these (filled with their parameters); the JSON API shows the English text and the code, pages
translate them with ``core.i18n.translate``. Code that must tell one refusal from another compares codes.
"""

from __future__ import annotations

from core.messages import N_, Message

# Transformations
YIELD_OUT_OF_BAND = Message("yield_out_of_band", N_("The yield is outside the usual range."))
YIELD_OUTSIDE_BAND = Message(
    "yield_out_of_band",
    N_(
        "%(ratio)s kg out per kg in is outside %(low)s–%(high)s for %(input)s → %(output)s; "
        "give a reason to record it anyway."
    ),
)
TRANSFORM_NOT_ALLOWED = Message("transform_not_allowed", N_("Transformation not allowed."))
CANNOT_BE_MADE_FROM = Message("transform_not_allowed", N_("%(output)s cannot be made from %(input)s."))
DRC_MISSING = Message("drc_missing", N_("DRC missing."))
LATEX_NEEDS_DRC = Message("drc_missing", N_("The latex lots need their DRC to check the yield."))

# Pages
# What the pages say themselves, before a service is asked (a field the form must fill).
DATE_INVALID = Message("date_invalid", N_("Enter a date."))
RECEIVER_REQUIRED = Message("receiver_required", N_("Choose who receives the lot."))
REFERENCE_TOO_LONG = Message("reference_too_long", N_("At most 100 characters."))
CORRECTION_REASON_REQUIRED = Message(
    "correction_reason_required", N_("Say whether the record did not happen or holds wrong data.")
)
