"""Pages' own field messages, splits, merges, the ledger and marketplace claims."""

from core.messages import N_, Message

# Pages: what the pages say themselves, before a service is asked (a field the form must fill).
DATE_INVALID = Message("date_invalid", N_("Enter a date."))
RECEIVER_REQUIRED = Message("receiver_required", N_("Choose who receives the lot."))
REFERENCE_TOO_LONG = Message("reference_too_long", N_("At most 100 characters."))
CORRECTION_REASON_REQUIRED = Message(
    "correction_reason_required", N_("Say whether the record did not happen or holds wrong data.")
)


# Splits
TOO_MANY_PARTS = Message("too_many_parts", N_("Too many parts."))
AT_MOST_PARTS = Message("too_many_parts", N_("At most %(count)s parts at a time."))
GIVE_ONE_PART = Message("no_parts", N_("Give at least one part."))
PARTS_EXCEED_BATCH = Message(
    "mass_balance", N_("The parts add up to %(total)s %(unit)s but batch %(code)s has %(left)s %(unit)s left.")
)
PARTS_EXCEED_REMAINING = Message(
    "mass_balance", N_("The parts add up to %(total)s %(unit)s; at most %(left)s %(unit)s remain.")
)

# Merges
MERGE_NEEDS_TWO = Message("merge_needs_two", N_("A merge needs two lots."))
CHOOSE_TWO_TO_MERGE = Message("merge_needs_two", N_("Choose at least two different lots to merge."))
TOO_MANY_LOTS = Message("too_many_inputs", N_("Too many lots."))
AT_MOST_LOTS = Message("too_many_inputs", N_("At most %(count)s lots at a time."))
LOTS_OF_DIFFERENT_PRODUCTS = Message("different_products", N_("Lots of different products."))
MERGE_SAME_PRODUCT = Message("different_products", N_("Only lots of the same product and grade can be merged."))
MERGED_LOT_TOO_LARGE = Message("quantity_too_large", N_("The merged lot is too large."))
MERGE_MIXES_EUDR = Message(
    "merge_mixes_eudr",
    N_("Some merged lots are EUDR-ready and others are not: the merged lot is not EUDR-ready."),
)

# The ledger (every operation's mass balance)
BATCH_OVERDRAWN = Message(
    "mass_balance", N_("Batch %(code)s has %(left)s %(unit)s left; %(asked)s %(unit)s was asked.")
)
AT_MOST_REMAIN = Message("mass_balance", N_("At most %(left)s %(unit)s remain in batch %(code)s."))

# Marketplace claims on a lot
LOT_CLAIMED = Message(
    "quantity_claimed",
    N_(
        "Lot %(code)s has %(left)s %(unit)s left, of which %(claimed)s %(unit)s is claimed by open marketplace "
        "orders; at most %(free)s %(unit)s can be taken, %(asked)s %(unit)s was asked."
    ),
)
LOT_CLAIMED_FIELD = Message(
    "quantity_claimed",
    N_(
        "%(claimed)s %(unit)s of lot %(code)s is reserved or sold on the marketplace and not yet shipped: at most "
        "%(free)s %(unit)s can be taken."
    ),
)
