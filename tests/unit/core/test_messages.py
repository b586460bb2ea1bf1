"""Messages carry a code and parameters; the English text is what the API shows, a page translates and formats them."""

from __future__ import annotations

import pickle
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from flask_login import LoginManager

from core import i18n
from core.errors import Conflict, ValidationError
from core.i18n import translate
from core.messages import N_, Message, Quantity, code_of

# A template that is in the catalogs, so the Vietnamese below is the real translation.
ONLY_LEFT = Message("only_left", N_("Lot %(lot)s has only %(left)s kg left; this order needs %(needed)s kg of it."))


@pytest.fixture(scope="module")
def bare_app() -> Flask:
    app = Flask("messages-unit")
    app.config.update(LANGUAGES=("vi", "en"), BABEL_DEFAULT_LOCALE="vi", BABEL_DEFAULT_TIMEZONE="Asia/Ho_Chi_Minh")
    i18n.init_app(app)
    LoginManager(app).user_loader(lambda user_id: None)
    return app


def test_a_message_reads_as_its_english_text_with_plain_numbers():
    message = ONLY_LEFT(lot="HTX-1", left=Decimal("2000.0000"), needed=Decimal("2500.5"))
    assert message == "Lot HTX-1 has only 2000.0000 kg left; this order needs 2500.5 kg of it."
    assert message.code == code_of(message) == "only_left"
    assert code_of("plain text") is None


def test_a_message_survives_pickling_with_its_code():
    message = ONLY_LEFT(lot="HTX-1", left=Decimal(2), needed=Decimal(3))
    again = pickle.loads(pickle.dumps(message))
    assert again == message and again.code == "only_left" and again.params == message.params


def test_a_page_shows_the_message_in_vietnamese_with_vietnamese_numbers(bare_app):
    message = ONLY_LEFT(lot="HTX-1", left=Decimal("2000.0000"), needed=Decimal("2500.5"))
    with bare_app.test_request_context("/?lang=vi"):
        assert translate(message) == "Lô HTX-1 chỉ còn 2.000 kg; đơn hàng này cần 2.500,5 kg của lô."
    with bare_app.test_request_context("/?lang=en"):
        assert translate(message) == "Lot HTX-1 has only 2,000 kg left; this order needs 2,500.5 kg of it."


def test_dates_and_nested_messages_are_shown_for_the_reader(bare_app):
    outer = Message("why", "%(reason)s (since %(day)s)")
    inner = Message("number", N_("Enter a number."))
    with bare_app.test_request_context("/?lang=vi"):
        assert translate(outer(reason=inner, day=date(2026, 12, 3))) == "Nhập một số. (since 03/12/2026)"


def test_an_error_takes_its_code_from_its_message_else_from_its_class():
    assert ValidationError(ONLY_LEFT(lot="A", left=1, needed=2)).code == "only_left"
    assert ValidationError("Some fields are not valid.").code == "invalid"
    assert Conflict("Changed meanwhile.").code == "conflict"


def test_a_quantity_reads_ungrouped_below_five_digits_and_keeps_its_english_text(bare_app):
    message = ONLY_LEFT(lot="HTX-1", left=Quantity("1250.5000"), needed=Quantity("12500.25"))
    assert message == "Lot HTX-1 has only 1250.5000 kg left; this order needs 12500.25 kg of it."
    assert pickle.loads(pickle.dumps(message)).params["left"] == Quantity("1250.5")
    with bare_app.test_request_context("/?lang=vi"):
        assert translate(message) == "Lô HTX-1 chỉ còn 1250,5 kg; đơn hàng này cần 12.500,25 kg của lô."
    with bare_app.test_request_context("/?lang=en"):
        assert translate(message) == "Lot HTX-1 has only 1250.5 kg left; this order needs 12,500.25 kg of it."


def test_a_photo_refusal_is_english_for_the_api_and_translated_where_a_page_shows_it(bare_app):
    from core.files.images import prepare_image

    with bare_app.test_request_context("/?lang=vi"):  # raised while the reader's language is Vietnamese
        with pytest.raises(ValidationError) as not_a_photo:
            prepare_image(b"%PDF-1.4 not a photo")
        with pytest.raises(ValidationError) as too_large:
            prepare_image(b"x" * 600_000, max_bytes=524_288)
    (message,) = not_a_photo.value.errors["file"]
    assert message == "This file is not a photo in JPEG, PNG or WebP format." and message.code == "image_not_supported"
    (large,) = too_large.value.errors["file"]
    assert large == "The photo is larger than 0.5 MB." and large.code == "file_too_large"
    with bare_app.test_request_context("/?lang=vi"):
        assert "JPEG" in translate(message) and "This file" not in translate(message)
        assert "0,5 MB" in translate(large)
