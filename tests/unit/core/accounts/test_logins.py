import pytest

from core.accounts.logins import LoginError, login_key, normalize_email, normalize_login, normalize_phone

PHONE_FORMS = ["0912 345 678", "0912345678", "+84912345678", "84912345678", "+84 912 345 678", " 0912.345.678 "]


@pytest.mark.parametrize("raw", PHONE_FORMS)
def test_every_common_form_of_a_phone_number_is_one_e164_number(raw):
    assert normalize_phone(raw) == "+84912345678"


@pytest.mark.parametrize("raw", ["", "0123", "abc", "+1 650 253 0000", "0912 345 67"])
def test_numbers_that_are_not_valid_vietnamese_numbers_are_refused(raw):
    with pytest.raises(LoginError, match="valid Vietnamese phone number"):
        normalize_phone(raw)


def test_email_is_checked_and_lower_cased():
    assert normalize_email("  Lan.Nguyen@Example.COM ") == "lan.nguyen@example.com"
    with pytest.raises(LoginError, match="valid email"):
        normalize_email("lan@@example")


def test_a_login_is_a_phone_or_an_email_by_its_at_sign():
    assert normalize_login("0912 345 678") == "+84912345678"
    assert normalize_login("Lan@Example.com") == "lan@example.com"
    with pytest.raises(LoginError):
        normalize_login("   ")


def test_failures_of_unusable_logins_are_still_counted_under_a_stable_key():
    assert login_key("0912 345 678") == login_key("+84912345678")
    assert login_key("  NoSuchThing ") == "nosuchthing"
