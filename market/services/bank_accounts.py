"""The bank account a seller is paid into: VietQR transfers from buyers (and, later, the platform's payouts).

Only an owner or manager of the seller organization sets it: whoever controls it controls where buyers' money goes.
Every member may read it (a farmer checks the account before telling a buyer to pay).
"""

from __future__ import annotations

import re
import unicodedata

from core.accounts.models import User
from core.accounts.permissions import MANAGING_ROLES, require_act_for
from core.errors import ValidationError
from core.extensions import db
from market.banks import NAPAS_BANKS, bank_name
from market.messages import (
    ACCOUNT_NAME_FORMAT,
    ACCOUNT_NUMBER_FORMAT,
    BANK_ACCOUNT_INVALID,
    BANK_BIN_UNKNOWN,
    BANK_UNKNOWN,
    REQUIRED,
    TOO_LONG,
)
from market.models import SellerBankAccount

MAX_ACCOUNT_NUMBER = 19  # NAPAS: an account number is at most 19 characters
MAX_ACCOUNT_NAME = 100
_ACCOUNT_NUMBER = re.compile(r"[0-9A-Z]+")
_ACCOUNT_NAME = re.compile(r"[A-Z0-9 .\-]+")
_SPACES = re.compile(r"\s+")


def bank_account(user: User, organization_id: int) -> SellerBankAccount | None:
    """The organization's account, for its members (404 for anyone else); None when none was given."""
    require_act_for(user, organization_id)
    return db.session.get(SellerBankAccount, organization_id)


def account_holder(name: str | None) -> str:
    """The holder's name as Vietnamese banks show it: "Nguyễn Văn Đức" → "NGUYEN VAN DUC"."""
    text = (name or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACES.sub(" ", text).strip().upper()


def _checked(bank_bin: str | None, account_number: str | None, account_name: str | None) -> tuple[str, str, str]:
    errors: dict[str, list] = {}
    bank_bin = (bank_bin or "").strip()
    if not bank_bin:
        errors["bank_bin"] = [BANK_UNKNOWN]
    elif bank_bin not in NAPAS_BANKS:
        errors["bank_bin"] = [BANK_BIN_UNKNOWN]
    # People copy numbers with spaces or dots between the groups ("0071 0001 23456"); the bank does not know them.
    number = re.sub(r"[\s.\-]", "", account_number or "").upper()
    if not number:
        errors["account_number"] = [REQUIRED]
    elif len(number) > MAX_ACCOUNT_NUMBER or not _ACCOUNT_NUMBER.fullmatch(number):
        errors["account_number"] = [ACCOUNT_NUMBER_FORMAT(count=MAX_ACCOUNT_NUMBER)]
    name = account_holder(account_name)
    if not name:
        errors["account_name"] = [REQUIRED]
    elif len(name) > MAX_ACCOUNT_NAME:
        errors["account_name"] = [TOO_LONG(count=MAX_ACCOUNT_NAME)]
    elif not _ACCOUNT_NAME.fullmatch(name):
        errors["account_name"] = [ACCOUNT_NAME_FORMAT]
    if errors:
        raise ValidationError(BANK_ACCOUNT_INVALID, errors=errors)
    return bank_bin, number, name


def set_bank_account(
    user: User, organization_id: int, *, bank_bin: str | None, account_number: str | None, account_name: str | None
) -> SellerBankAccount:
    """Give or change where the organization is paid; owners and managers only (403 for other members, 404 else)."""
    require_act_for(user, organization_id, MANAGING_ROLES)
    bank_bin, number, name = _checked(bank_bin, account_number, account_name)
    account = db.session.get(SellerBankAccount, organization_id)
    if account is None:
        account = SellerBankAccount(organization_id=organization_id)
        db.session.add(account)
    account.bank_bin, account.account_number, account.account_name = bank_bin, number, name
    account.updated_by_id = user.id
    db.session.commit()
    return account


def describe_bank_account(account: SellerBankAccount) -> dict:
    return {
        "organization_id": account.organization_id,
        "bank_bin": account.bank_bin,
        "bank_name": bank_name(account.bank_bin),
        "account_number": account.account_number,
        "account_name": account.account_name,
        "updated_at": account.updated_at,
    }
