"""Messages services give to people, in English, marked for the catalog.

Services raise them untranslated (the JSON API stays English); pages translate
them where they are shown, with ``core.i18n.translate(message)``.
"""

from __future__ import annotations

from core.messages import N_

PHONE_INVALID = N_("Enter a valid Vietnamese phone number, for example 0912 345 678.")
EMAIL_INVALID = N_("Enter a valid email address, for example lan@example.com.")
LOGIN_REQUIRED = N_("Enter a phone number or an email address.")
LOGIN_BOTH = N_("Enter a phone number or an email address, not both.")
PASSWORD_TOO_SHORT = N_("The password must be at least 8 characters long.")
NAME_REQUIRED = N_("Enter a name.")
ORG_NAME_REQUIRED = N_("Enter the organization's name.")
KIND_NOT_ALLOWED = N_("Choose household, cooperative, processor, trader or buyer.")
COMMUNE_INVALID = N_("Enter a commune code of 5 digits, for example 25270.")
COMMUNE_FOR_STREET = N_("Choose the commune of this street address.")
COMMUNE_UNKNOWN = N_("There is no commune with this code.")
PHONE_TAKEN = N_("An account with this phone number already exists.")
EMAIL_TAKEN = N_("An account with this email address already exists.")
BAD_CREDENTIALS = N_("The phone number, email or password is not correct.")
TOO_MANY_ATTEMPTS = N_("Too many failed sign-in attempts. Please wait a little and try again.")
USER_UNKNOWN = N_("No account uses this phone number or email address.")
ALREADY_MEMBER = N_("This person is already a member of the organization.")
ONLY_OWNER_GRANTS_OWNER = N_("Only an owner can make someone an owner.")
ROLE_INVALID = N_("Choose the role member, manager or owner.")
LAST_OWNER = N_("The last owner cannot be removed.")
DEPARTMENT_BY_ADMIN = N_("Only an administrator can add people to the department.")
NOT_A_HOUSEHOLD = N_("This organization is not a household.")
HOUSEHOLD_ALREADY_MEMBER = N_("This household is already a member of the cooperative.")
HOUSEHOLD_UNKNOWN = N_("No household with this number that you manage.")
NOT_A_COOPERATIVE = N_("Only cooperatives have member households.")
