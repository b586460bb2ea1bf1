"""What the accounts services say to people: each message with its stable code and English template.

Services raise them untranslated (the JSON API shows the English text and the code); pages translate
them where they are shown, with ``core.i18n.translate(message)``. Code that must tell one refusal from
another compares codes.
"""

from __future__ import annotations

from core.messages import N_, Message

# Logins and sign-up fields
PHONE_INVALID = Message("phone_invalid", N_("Enter a valid Vietnamese phone number, for example 0912 345 678."))
EMAIL_INVALID = Message("email_invalid", N_("Enter a valid email address, for example lan@example.com."))
LOGIN_REQUIRED = Message("login_required", N_("Enter a phone number or an email address."))
LOGIN_BOTH = Message("login_both", N_("Enter a phone number or an email address, not both."))
PASSWORD_TOO_SHORT = Message("password_too_short", N_("The password must be at least 8 characters long."))
NAME_REQUIRED = Message("name_required", N_("Enter a name."))
ORG_NAME_REQUIRED = Message("org_name_required", N_("Enter the organization's name."))
KIND_NOT_ALLOWED = Message("kind_not_allowed", N_("Choose household, cooperative, processor, trader or buyer."))
KIND_UNKNOWN = Message("kind_not_allowed", N_("Choose one of %(kinds)s."))
COMMUNE_INVALID = Message("commune_invalid", N_("Enter a commune code of 5 digits, for example 25270."))
COMMUNE_FOR_STREET = Message("commune_required", N_("Choose the commune of this street address."))
GLN_INVALID = Message("gln_invalid", N_("A GLN is 13 digits whose last digit is the GS1 check digit."))
GLN_TAKEN = Message("gln_taken", N_("Another organization already uses this GLN."))
COMMUNE_UNKNOWN = Message("commune_unknown", N_("There is no commune with this code."))
PHONE_TAKEN = Message("phone_taken", N_("An account with this phone number already exists."))
EMAIL_TAKEN = Message("email_taken", N_("An account with this email address already exists."))

# Signing in and tokens
BAD_CREDENTIALS = Message("bad_credentials", N_("The phone number, email or password is not correct."))
TOO_MANY_ATTEMPTS = Message(
    "too_many_attempts", N_("Too many failed sign-in attempts. Please wait a little and try again.")
)
TOO_MANY_ATTEMPTS_FOR_LOGIN = Message(
    "too_many_attempts",
    N_("Too many failed sign-in attempts for this login. Try again in %(seconds)s seconds."),
)
TOO_MANY_ATTEMPTS_FROM_ADDRESS = Message(
    "too_many_attempts",
    N_("Too many failed sign-in attempts from your network. Try again in %(seconds)s seconds."),
)

# Memberships and households
USER_UNKNOWN = Message("user_unknown", N_("No account uses this phone number or email address."))
ALREADY_MEMBER = Message("already_member", N_("This person is already a member of the organization."))
ONLY_OWNER_GRANTS_OWNER = Message("only_owner_grants_owner", N_("Only an owner can make someone an owner."))
ROLE_INVALID = Message("role_invalid", N_("Choose the role member, manager or owner."))
LAST_OWNER = Message("last_owner", N_("The last owner cannot be removed."))
DEPARTMENT_BY_ADMIN = Message("department_by_admin", N_("Only an administrator can add people to the department."))
NOT_A_HOUSEHOLD = Message("not_a_household", N_("This organization is not a household."))
HOUSEHOLD_ALREADY_MEMBER = Message(
    "household_already_member", N_("This household is already a member of the cooperative.")
)
HOUSEHOLD_UNKNOWN = Message("household_unknown", N_("No household with this number that you manage."))
NOT_A_COOPERATIVE = Message("not_a_cooperative", N_("Only cooperatives have member households."))

# Verification by the department
REJECTION_NEEDS_REASON = Message("rejection_reason_required", N_("A rejection needs a reason."))
ORGANIZATION_REJECTION_REASON = Message(
    "rejection_reason_required", N_("Say why the organization is rejected: its people see your reason.")
)
