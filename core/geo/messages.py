"""What the administrative-unit services say in their refusals: each message with its stable code.

The JSON API shows the English text and the code as the problem's ``detail``; the address picker's
field messages are Messages too, translated where a page shows them (``|translate``).
"""

from __future__ import annotations

from core.messages import N_, Message

# Looking units up by code
# Codes are identifiers, passed as text: a page must not show 25270 as "25.270".
PROVINCE_NOT_FOUND = Message("province_unknown", N_("There is no province with code %(code)s."))
COMMUNE_NOT_FOUND = Message("commune_unknown", N_("There is no commune with code %(code)s."))
COMMUNE_CODE_UNKNOWN = Message("commune_unknown", N_("Unknown commune code %(code)s."))

# Matching old addresses
ADDRESS_EMPTY = Message("address_empty", N_("The address is empty."))
ADDRESS_TOO_LONG = Message("address_too_long", N_("The address is longer than %(limit)s characters."))

# The address picker's field messages (core/geo/picker.py)
STREET_TOO_LONG = Message("street_too_long", N_("Keep the street and house number under %(count)s characters."))
CHOOSE_A_COMMUNE = Message("commune_required", N_("Choose a commune or ward of the selected province."))
SEVERAL_COMMUNES_MATCH = Message("address_ambiguous", N_("Several communes match this old address. Choose yours."))
OLD_ADDRESS_NOT_FOUND = Message(
    "address_not_found", N_("We could not find this old address. Check it, or choose the commune from the list.")
)
