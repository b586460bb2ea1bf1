"""The payout ledger: a producer's balance and its entries; administrators record the bank transfers that settle it."""

from __future__ import annotations

from dataclasses import asdict

from flask.views import MethodView

from core.api import Blueprint
from core.security import api_user
from market.schemas import (
    BalanceSchema,
    LedgerEntrySchema,
    PayoutCreateSchema,
    PayoutQuerySchema,
    PayoutSchema,
    ProducerBalanceSchema,
)
from market.services import ledger

blp = Blueprint("market_payouts", __name__, description="What the platform owes each producer, and its payouts")


@blp.route("/payouts/balance")
class Balance(MethodView):
    @blp.authenticated
    @blp.arguments(PayoutQuerySchema, location="query")
    @blp.response(200, BalanceSchema)
    def get(self, query):
        """What the platform owes your organization (negative: the fees you owe it), and the sums behind it."""
        return asdict(ledger.statement(api_user(), query["organization_id"]))


@blp.route("/payouts/entries")
class Entries(MethodView):
    @blp.authenticated
    @blp.arguments(PayoutQuerySchema, location="query")
    @blp.response(200, LedgerEntrySchema(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Your organization's ledger entries, newest first: sales, refunds, payouts."""
        p = pagination_parameters
        found, p.item_count = ledger.entries(
            api_user(), query["organization_id"], offset=p.first_item, limit=p.page_size
        )
        return found


@blp.route("/payouts")
class Payouts(MethodView):
    @blp.authenticated
    @blp.response(200, ProducerBalanceSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Administrators: every producer's balance, those with money to settle first, with their bank account."""
        p = pagination_parameters
        found, p.item_count = ledger.balances(api_user(), offset=p.first_item, limit=p.page_size)
        return found

    @blp.authenticated
    @blp.arguments(PayoutCreateSchema)
    @blp.response(201, PayoutSchema)
    def post(self, data):
        """Administrators: record a bank transfer to a producer (at most what is owed; each bank reference once)."""
        payout, left = ledger.record_payout(
            api_user(), data["organization_id"], data["amount"], data["bank_reference"], data["note"]
        )
        payout.balance = left
        return payout
