"""Identifiers: lot codes, GTINs and GS1 Digital Link."""

from core.messages import N_, Message

# Identifiers and Digital Link
GTIN_INVALID = Message("gtin_invalid", N_("Invalid GTIN."))
GTIN_LENGTH = Message("gtin_length", N_("A GTIN has 8, 12, 13 or 14 digits."))
GTIN_CHECK_DIGIT = Message(
    "gtin_check_digit", N_("The check digit of this GTIN is wrong: the last digit should be %(expected)s.")
)
GTIN_CHECK_DIGIT_IN_LINK = Message(
    "gtin_check_digit", N_("The GTIN check digit is wrong: the last digit should be %(expected)s.")
)
LOT_NUMBER_INVALID = Message("lot_number_invalid", N_("Invalid lot number."))
LOT_NUMBER_REQUIRED = Message("lot_number_required", N_("Enter a lot number."))
LOT_NUMBER_TOO_LONG = Message("lot_number_too_long", N_("A lot number has at most %(max)s characters."))
LOT_NUMBER_CHARACTERS = Message(
    "lot_number_characters",
    N_("A lot number may only use Latin letters without accents, digits and !\"%&'()*+,-./:;<=>?_ (no spaces)."),
)
GTIN_TAKEN_DETAIL = Message("gtin_taken", N_("The GTIN belongs to another organization."))
GTIN_TAKEN = Message("gtin_taken", N_("This GTIN belongs to another organization: use one of your own."))
LOT_NUMBER_USED_DETAIL = Message("lot_number_taken", N_("The lot number is already used for this GTIN."))
LOT_TAKEN = Message("lot_number_taken", N_("Another lot of this GTIN already has this lot number."))
LOT_TWICE = Message("lot_number_twice", N_("Give each new lot of one GTIN its own lot number."))
LINK_AI_EMPTY = Message("digital_link_empty_value", N_("The value of AI (%(ai)s) is empty."))
LINK_EMPTY_VALUE = Message("digital_link_empty_value", N_("Empty value."))
LINK_QUALIFIER_TOO_LONG = Message(
    "digital_link_qualifier",
    N_("AI (%(ai)s) takes at most %(max)s characters of GS1 character set 82 (no spaces, no diacritics)."),
)
LINK_ATTRIBUTE_FORMAT = Message(
    "digital_link_attribute", N_("The value of AI (%(ai)s) does not have the format GS1 defines for it.")
)
LINK_STARTS_WITH_GTIN = Message("digital_link_syntax", N_("A Digital Link starts with /01/<GTIN>."))
LINK_QUALIFIERS_IN_PAIRS = Message("digital_link_syntax", N_("Key qualifiers come in pairs: /<AI>/<value>."))
LINK_NOT_A_QUALIFIER = Message(
    "digital_link_syntax", N_("(%(ai)s) is not a key qualifier of a GTIN; use (22), (10) and (21), in that order.")
)
LINK_QUALIFIER_ORDER = Message(
    "digital_link_syntax", N_("Key qualifiers of a GTIN come in the order (22), (10), (21), each at most once.")
)
