"""Transformations: inputs, outputs and their conversion bands."""

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
TOO_MANY_INPUTS = Message("too_many_inputs", N_("Too many inputs."))
AT_MOST_INPUT_LOTS = Message("too_many_inputs", N_("At most %(count)s input lots at a time."))
TOO_MANY_OUTPUTS = Message("too_many_outputs", N_("Too many outputs."))
AT_MOST_OUTPUT_LOTS = Message("too_many_outputs", N_("At most %(count)s output lots at a time."))
INVALID_INPUTS = Message("invalid_inputs", N_("Invalid inputs."))
EACH_INPUT_ONCE = Message("invalid_inputs", N_("Give each input lot once, at least one."))
INVALID_OUTPUTS = Message("invalid_outputs", N_("Invalid outputs."))
GIVE_ONE_OUTPUT = Message("invalid_outputs", N_("Give at least one output."))
INPUTS_OF_DIFFERENT_PRODUCTS = Message("different_products", N_("Inputs of different products."))
INPUTS_SAME_PRODUCT = Message("different_products", N_("All inputs must be the same product."))
NOT_MADE_FROM = Message("transform_not_allowed", N_("%(product)s is not made from %(commodity)s."))
OUTPUTS_SAME_PRODUCT = Message(
    "different_products", N_("All outputs of one transformation are the same product (grades may differ).")
)
INPUT_OVERDRAWN = Message("mass_balance", N_("More was asked of an input than it has left."))
