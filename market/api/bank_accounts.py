"""The bank account a seller organization is paid into (VietQR transfers)."""

from __future__ import annotations

from flask.views import MethodView

from core.api import Blueprint
from core.errors import NotFound
from core.security import api_user
from market.schemas import BankAccountRequestSchema, BankAccountSchema
from market.services import bank_accounts

blp = Blueprint("market_bank_accounts", __name__, description="Sellers' bank accounts for VietQR transfers")


@blp.route("/organizations/<int:organization_id>/bank-account")
class BankAccount(MethodView):
    @blp.authenticated
    @blp.response(200, BankAccountSchema)
    def get(self, organization_id):
        """The account buyers' transfers are paid into; 404 when none was given (or you are not a member)."""
        account = bank_accounts.bank_account(api_user(), organization_id)
        if account is None:
            raise NotFound("No bank account given yet.")
        return bank_accounts.describe_bank_account(account)

    @blp.authenticated
    @blp.arguments(BankAccountRequestSchema)
    @blp.response(200, BankAccountSchema)
    def put(self, data, organization_id):
        """Give or change the account (owners and managers); the BIN must be a bank we know, the holder is stored
        upper-case without accents, as banks show it."""
        account = bank_accounts.set_bank_account(api_user(), organization_id, **data)
        return bank_accounts.describe_bank_account(account)
