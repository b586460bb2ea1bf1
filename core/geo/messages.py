"""What the administrative-unit services say in their refusals: each message with its stable code.

The JSON API shows the English text and the code as the problem's ``detail``; the field messages
shown beside the address picker are translated for the reader where they are raised.
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
