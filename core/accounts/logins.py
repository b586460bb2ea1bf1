"""Sign-in names: Vietnamese phone numbers as E.164 and lower-cased email addresses.

Every form of one phone number ("0912 345 678", "+84 912 345 678", "84912345678")
becomes the same E.164 string, so it signs in, is looked up and is rate limited as one.
"""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from core.accounts import messages

REGION = "VN"


class LoginError(ValueError):
    """The text is not a usable phone number or email; ``str(error)`` says why (English, translatable)."""


def normalize_phone(raw: str) -> str:
    """``raw`` as an E.164 Vietnamese number, or ``LoginError``."""
    text = (raw or "").strip()
    if not text:
        raise LoginError(messages.PHONE_INVALID)
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException as exc:
        raise LoginError(messages.PHONE_INVALID) from exc
    if not phonenumbers.is_valid_number_for_region(number, REGION):
        raise LoginError(messages.PHONE_INVALID)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    """``raw`` checked for syntax (no DNS lookup) and lower-cased, or ``LoginError``."""
    text = (raw or "").strip()
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise LoginError(messages.EMAIL_INVALID) from exc
    return checked.normalized.lower()


def is_email(raw: str) -> bool:
    return "@" in (raw or "")


def normalize_login(raw: str) -> str:
    """A phone number or an email in its stored form, or ``LoginError``."""
    if not (raw or "").strip():
        raise LoginError(messages.LOGIN_REQUIRED)
    return normalize_email(raw) if is_email(raw) else normalize_phone(raw)


def login_key(raw: str) -> str:
    """The key failures are counted under: the normalized login, or the trimmed, lower-cased text.

    Garbage is still counted (under itself) so that it cannot be used to dodge the limit.
    """
    try:
        return normalize_login(raw)
    except LoginError:
        return (raw or "").strip().lower()[:254]
