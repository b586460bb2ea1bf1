"""The catalog: products, grades, units and measurements."""

from core.messages import N_, Message

# Catalog: products, grades, units and measurements
PRODUCT_UNKNOWN_DETAIL = Message("product_unknown", N_("Unknown product."))
PRODUCT_UNKNOWN = Message("product_unknown", N_("Unknown product %(code)s; use one of: %(allowed)s."))
GRADE_INVALID = Message("grade_invalid", N_("Invalid grade."))
GRADE_TOO_LONG = Message("grade_too_long", N_("A grade has at most 20 characters."))
GRADE_UNKNOWN = Message("grade_unknown", N_("Unknown grade %(grade)s for %(product)s; use one of: %(allowed)s."))
MEASUREMENTS_TOO_MANY_DETAIL = Message("measurements_too_many", N_("Too many measurements."))
MEASUREMENTS_TOO_MANY = Message("measurements_too_many", N_("At most %(max)s measurements per event."))
MEASUREMENTS_INVALID = Message("measurements_invalid", N_("Some measurements are not valid."))
MEASUREMENT_NOT_OBJECT = Message("measurement_invalid", N_("A measurement is an object with type, value and unit."))
MEASUREMENT_TYPE_UNKNOWN = Message("measurement_type_unknown", N_("Unknown measurement type; use one of: %(allowed)s."))
MEASUREMENT_UNIT = Message("measurement_unit", N_("%(kind)s is measured in %(unit)s."))
ENTER_A_NUMBER = Message("not_a_number", N_("Enter a number."))
MEASUREMENT_OUT_OF_RANGE = Message(
    "measurement_out_of_range", N_("%(kind)s must be between %(low)s and %(high)s %(unit)s.")
)
UNIT_UNKNOWN_DETAIL = Message("unit_unknown", N_("Unknown unit."))
UNIT_UNKNOWN = Message("unit_unknown", N_("Use one of: %(allowed)s."))

# A measurement's type and unit inside a message: the stored words in English ("moisture", "percent"), the reader's
# words on a page ("độ ẩm", "%").
MEASUREMENT_NAMES = {
    "moisture": Message("measurement_name", N_("moisture")),
    "density": Message("measurement_name", N_("density")),
    "drc": Message("measurement_name", N_("drc")),
    "kor": Message("measurement_name", N_("kor")),
    "temperature": Message("measurement_name", N_("temperature")),
    "foreign_matter": Message("measurement_name", N_("foreign_matter")),
}
UNIT_NAMES = {
    "percent": Message("unit_name", N_("percent")),
    "g_per_l": Message("unit_name", N_("g_per_l")),
    "lbs_per_80kg": Message("unit_name", N_("lbs_per_80kg")),
    "celsius": Message("unit_name", N_("celsius")),
}
COMMODITY_NAMES = {
    "cashew": Message("commodity_name", N_("cashew")),
    "pepper": Message("commodity_name", N_("pepper")),
    "rubber": Message("commodity_name", N_("rubber")),
}

# Grades as people read them (the trade's code stays the stored value)
GRADE_WHITE_WHOLES = Message("grade_white_wholes", N_("White whole kernels, %(count)s per pound"))
GRADE_SCORCHED_WHOLES_COUNT = Message("grade_scorched_wholes", N_("Scorched whole kernels, %(count)s per pound"))
GRADE_SCORCHED_WHOLES = Message("grade_scorched_wholes", N_("Scorched whole kernels"))
GRADE_WHITE_SPLITS = Message("grade_white_splits", N_("White split kernels"))
GRADE_LARGE_WHITE_PIECES = Message("grade_large_white_pieces", N_("Large white pieces"))
GRADE_LARGE_PIECES = Message("grade_large_pieces", N_("Large pieces"))
GRADE_SMALL_PIECES = Message("grade_small_pieces", N_("Small pieces"))
GRADE_VERY_SMALL_PIECES = Message("grade_very_small_pieces", N_("Very small pieces"))
GRADE_BABY_BITS = Message("grade_baby_bits", N_("Kernel bits"))
GRADE_SCORCHED_BUTTS = Message("grade_scorched_butts", N_("Scorched butts"))
GRADE_DESSERT_WHOLES = Message("grade_dessert_wholes", N_("Dessert whole kernels (lower grade)"))
GRADE_PEPPER_DENSITY = Message("grade_pepper_density", N_("Density %(density)s g/l"))
