"""Harvests, steps, event input, custody, corrections, recalls and verification."""

from core.messages import N_, Message

# Harvests and process steps
NOT_HARVESTED = Message(
    "not_harvested", N_("%(product)s does not come straight from a plot; record a transformation instead.")
)
PRODUCT_OF_OTHER_COMMODITY = Message("wrong_commodity", N_("%(product)s is %(commodity)s, not %(given)s."))
CHOOSE_HARVEST_PLOTS = Message("no_plots", N_("Choose the plots the harvest comes from."))
UNKNOWN_ORIGIN_HAS_NO_PLOTS = Message("unknown_origin_plots", N_("A harvest of unknown origin has no plots."))
CHOOSE_HARVEST_HOLDER = Message("no_organization", N_("Choose the organization that holds the harvest."))
MAY_NOT_HARVEST_FOR = Message("forbidden", N_("You may not record harvests for this organization."))
NO_PLOT_OF_YOURS = Message("unknown_plot", N_("No plot %(id)s of yours."))
PLOT_DOES_NOT_GROW = Message("wrong_commodity", N_("Plot %(name)s does not grow %(commodity)s."))
STEP_ADDS_WEIGHT = Message("step_adds_weight", N_("A step cannot add weight: batch %(code)s holds %(left)s %(unit)s."))
DIFFERENT_HOLDERS = Message("different_holders", N_("Batches of different holders."))
SAME_HOLDER_NEEDED = Message("different_holders", N_("All batches must be held by the same organization."))

# Event input (when, where, which step, which photos)
FIELDS_INVALID = Message("invalid", N_("Some fields are not valid; see errors."))
INVALID_TIME = Message("invalid_time", N_("Invalid time."))
GIVE_ISO_TIME = Message("invalid_time", N_("Give a date and time in ISO 8601, e.g. 2026-03-01T08:30:00+07:00."))
TIME_IN_FUTURE = Message("time_in_future", N_("The time is in the future."))
THIS_TIME_IN_FUTURE = Message("time_in_future", N_("This time is in the future."))
INVALID_HARVEST_PERIOD = Message("invalid_harvest_period", N_("Invalid harvest period."))
DATE_OR_RANGE = Message("invalid_harvest_period", N_("Give either a harvest date or a start and end, not both."))
MISSING_HARVEST_DATE = Message("missing_harvest_date", N_("Missing harvest date."))
ENTER_HARVEST_DATE = Message("missing_harvest_date", N_("Enter the harvest date."))
HARVEST_IN_FUTURE = Message("harvest_in_future", N_("The harvest date is in the future."))
HARVEST_NOT_IN_FUTURE = Message("harvest_in_future", N_("The harvest date cannot be in the future."))
HARVEST_ENDS_BEFORE_START = Message("invalid_harvest_period", N_("The harvest cannot end before it starts."))
INVALID_QUANTITY = Message("invalid_quantity", N_("Invalid quantity."))
QUANTITY_NOT_A_NUMBER = Message("invalid_quantity", N_("Enter a number."))
ENTER_ABOVE_ZERO = Message("invalid_quantity", N_("Enter a quantity above zero."))
QUANTITY_TOO_LARGE = Message("quantity_too_large", N_("The quantity is too large."))
AT_MOST_4_DECIMALS = Message("invalid_quantity", N_("Use at most 4 decimals."))
INVALID_UNIT = Message("invalid_unit", N_("Invalid unit."))
USE_ONE_OF = Message("invalid_choice", N_("Use one of: %(choices)s."))
MISSING_DRC = Message("drc_missing", N_("Missing DRC."))
LATEX_NEEDS_ITS_DRC = Message("drc_missing", N_("Field latex needs its dry rubber content (DRC %)."))
UNEXPECTED_DRC = Message("unexpected_drc", N_("Unexpected DRC."))
DRC_ONLY_FOR_LATEX = Message("unexpected_drc", N_("A DRC is only given for latex, not %(product)s."))
INVALID_DRC = Message("invalid_drc", N_("Invalid DRC."))
DRC_IS_A_PERCENTAGE = Message("invalid_drc", N_("The DRC is a percentage between 0 and 100."))
MISSING_STEP = Message("missing_step", N_("Missing step."))
CHOOSE_A_STEP = Message("missing_step", N_("Choose a step."))
UNKNOWN_STEP = Message("unknown_step", N_("Unknown step."))
UNKNOWN_STEP_NAMED = Message("unknown_step", N_("Unknown step %(step)s."))
UNKNOWN_DISPOSITION = Message("unknown_disposition", N_("Unknown disposition."))
UNKNOWN_DISPOSITION_NAMED = Message("unknown_disposition", N_("Unknown disposition %(disposition)s."))
UNKNOWN_PLOT = Message("unknown_plot", N_("Unknown plot."))
UNKNOWN_COMMUNE = Message("unknown_commune", N_("Unknown commune."))
UNKNOWN_COMMUNE_CODE = Message("unknown_commune", N_("Unknown commune code %(commune)s."))
TOO_MANY_PHOTOS = Message("too_many_photos", N_("Too many photos."))
AT_MOST_PHOTOS = Message("too_many_photos", N_("At most %(count)s photos per event."))
UNKNOWN_PHOTOS = Message("unknown_photo", N_("Unknown photos."))
UPLOAD_PHOTO_FIRST = Message("unknown_photo", N_("Unknown photo; upload it first."))

# Reading and acting on batches
NO_BATCH_WITH_CODE = Message("batch_not_found", N_("No batch with code %(code)s that you may see."))
BATCH_IN_TRANSIT = Message(
    "batch_in_transit", N_("Batch %(code)s is in transit; it can be acted on once the receiver confirms receipt.")
)
BATCH_IN_TRANSIT_SHORT = Message("batch_in_transit", N_("Batch %(code)s is in transit."))
READ_NOT_ACT = Message("forbidden", N_("You may read batch %(code)s but not act on it."))
NOTHING_LEFT = Message("batch_used_up", N_("Nothing is left of batch %(code)s."))
BATCH_RECALLED = Message(
    "batch_recalled", N_("Batch %(code)s is recalled; it can no longer be processed, shipped or sold.")
)

# Custody (shipping and receiving)
UNKNOWN_RECEIVER = Message("unknown_receiver", N_("Unknown receiver."))
NO_SUCH_ORGANIZATION = Message("unknown_receiver", N_("No such organization."))
SAME_ORGANIZATION = Message("same_organization", N_("Same organization."))
ALREADY_HELD_HERE = Message("same_organization", N_("The lot is already held by this organization."))
ONLY_RECEIVER_CONFIRMS = Message("forbidden", N_("Only the receiving organization confirms receipt."))
ALREADY_RECEIVED = Message("already_received", N_("This shipment was already received."))
NO_SUCH_SHIPMENT = Message("not_found", N_("No such shipment that you may see."))

# Corrections
NO_SUCH_EVENT = Message("not_found", N_("No such event that you may see."))
ONLY_RECORDER_CORRECTS = Message("forbidden", N_("Only the organization that recorded an event may correct it."))
UNKNOWN_REASON = Message("invalid_choice", N_("Unknown reason."))
ALREADY_CORRECTED = Message("already_corrected", N_("This event was already corrected."))
CANNOT_UNDO_OPERATION = Message(
    "cannot_undo",
    N_(
        "A %(operation)s made other lots or moved custody and cannot be declared as not having occurred; correct the "
        "lots it made instead."
    ),
)
QUANTITY_NOT_CORRECTABLE = Message("quantity_not_correctable", N_("Quantity not correctable here."))
ONLY_HARVEST_QUANTITY = Message(
    "quantity_not_correctable", N_("Only a harvest's quantity is corrected this way (reason incorrect_data).")
)
WHICH_LOT = Message("which_lot", N_("Which lot?"))
SAY_WHICH_LOT = Message("which_lot", N_("This event touched several lots; say which one the corrective step is for."))
ALREADY_USED = Message(
    "batch_already_used", N_("Some of batch %(code)s was already used; correct what was made from it first.")
)

# Recalls
RECALL_REASON_MISSING = Message("reason_missing", N_("The reason is missing."))
RECALL_SAY_WHY = Message("reason_missing", N_("Say why the lot is recalled (at least 5 characters)."))
RECALL_REASON_TOO_LONG = Message("reason_too_long", N_("The reason is too long."))
AT_MOST_2000_CHARACTERS = Message("reason_too_long", N_("At most 2,000 characters."))
ONLY_HOLDER_RECALLS = Message("forbidden", N_("Only the holder of lot %(code)s or a department officer may recall it."))
ALREADY_RECALLED = Message("already_recalled", N_("Lot %(code)s and every lot made from it are already recalled."))

# EUDR readiness
EUDR_UNKNOWN_ORIGIN = Message(
    "eudr_unknown_origin", N_("Some of this lot comes from outside the platform, from plots nobody recorded.")
)
EUDR_NO_PLOTS = Message("eudr_no_plots", N_("The lot has no origin plots."))
EUDR_PLOT_PROBLEM = Message("eudr_plot", N_("Plot %(name)s (#%(id)s): %(problem)s"))

# Hash-chain verification
CHAIN_CONTENT_CHANGED = Message("content_changed", N_("The event's stored content no longer matches its hash."))
CHAIN_LINK_BROKEN = Message(
    "link_broken", N_("The event's link to the previous event of batch %(code)s does not match that event.")
)

# A step or measurement of another commodity
STEP_NOT_FOR_COMMODITY = Message(
    "step_not_for_commodity", N_("Lot %(code)s is %(commodity)s: the step “%(step)s” is not one of its steps.")
)
MEASUREMENT_NOT_FOR_PRODUCT = Message(
    "measurement_not_for_product", N_("Lot %(code)s: %(kind)s is not measured on this product.")
)
MEASUREMENT_NOT_FOR_COMMODITY = Message(
    "measurement_not_for_commodity", N_("Lot %(code)s is %(commodity)s: %(kind)s is not measured on it.")
)
