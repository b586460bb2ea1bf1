"""Orders: checkout (one order per seller), reading, and moving through the state machine."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from core.api import Blueprint
from core.security import api_user
from market.payments.stripe_gateway import gateway
from market.schemas import (
    CardAttemptSchema,
    CardPaymentSchema,
    OrderCreateSchema,
    OrderQuerySchema,
    OrderSchema,
    OrdersResultSchema,
    PaymentConfirmSchema,
    RefundCreateSchema,
    TransitionSchema,
)
from market.services import bank_transfers, card_payments, orders, payment_confirmations, refunds, transitions
from market.services.describe import describe_orders

blp = Blueprint("market_orders", __name__, description="Marketplace orders, reservations and fulfilment")


@blp.route("/orders")
class Orders(MethodView):
    @blp.authenticated
    @blp.arguments(OrderCreateSchema)
    @blp.response(201, OrdersResultSchema)
    def post(self, data):
        """Check out: reserve every item and make one order per seller (all or nothing; 409 when stock ran out)."""
        user = api_user()
        return {"orders": describe_orders(orders.place_orders(user, **data), user)}

    @blp.authenticated
    @blp.arguments(OrderQuerySchema, location="query")
    @blp.response(200, OrderSchema(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Orders your organizations placed (role=buyer) or received (role=seller), newest first."""
        p = pagination_parameters
        user = api_user()
        found, p.item_count = orders.list_orders(
            user, role=query.get("role"), status=query.get("status"), offset=p.first_item, limit=p.page_size
        )
        return describe_orders(found, user)


@blp.route("/orders/<order_id>")
class OrderById(MethodView):
    @blp.authenticated
    @blp.response(200, OrderSchema)
    def get(self, order_id):
        """One order you buy or sell in, with its lines, totals, payment instructions and status history."""
        user = api_user()
        order, _roles = orders.visible_order(user, order_id)
        return describe_orders([order], user)[0]


@blp.route("/orders/<order_id>/transitions")
class OrderTransitions(MethodView):
    @blp.authenticated
    @blp.arguments(TransitionSchema)
    @blp.response(200, OrderSchema)
    def post(self, data, order_id):
        """Move the order to another status; 409 with ``current_status`` when that is impossible from where it is."""
        user = api_user()
        order = transitions.transition(user, order_id, data.pop("to"), **data)
        return describe_orders([order], user)[0]


@blp.route("/orders/<order_id>/payments/card")
class OrderCardPayment(MethodView):
    @blp.authenticated
    @blp.arguments(CardPaymentSchema)
    @blp.response(200, CardAttemptSchema)
    @blp.alt_response(402, description="The card was declined: the order is cancelled and its stock released")
    @blp.alt_response(503, description="Stripe did not answer; nothing was charged")
    def post(self, data, order_id):
        """Pay the order by card: our server creates and confirms the PaymentIntent for the order's total.

        The order becomes paid when Stripe's webhook confirms it (poll the order). With ``requires_action``, finish
        3-D Secure in the browser with ``stripe.confirmCardPayment(client_secret)``.
        """
        return card_payments.pay_by_card(api_user(), order_id, data["payment_method"], gateway=gateway())


@blp.route("/orders/<order_id>/refunds")
class OrderRefunds(MethodView):
    @blp.authenticated
    @blp.arguments(RefundCreateSchema)
    @blp.response(201, OrderSchema)
    def post(self, data, order_id):
        """The seller refunds the order in full or in part: by card through Stripe, otherwise recorded."""
        user = api_user()
        order = refunds.refund_order(user, order_id, **data)
        return describe_orders([order], user)[0]


@blp.route("/orders/<order_id>/payments/confirm")
class OrderPaymentConfirmation(MethodView):
    @blp.authenticated
    @blp.arguments(PaymentConfirmSchema)
    @blp.response(200, OrderSchema)
    def post(self, data, order_id):
        """The seller confirms the money arrived: a VietQR transfer (its bank transaction code as ``reference``) or
        cash. 403 for the buyer, 409 where the status does not allow it, 422 for a reference already used."""
        user = api_user()
        order = payment_confirmations.confirm_payment(user, order_id, **data)
        return describe_orders([order], user)[0]


@blp.route("/orders/<order_id>/vietqr.png")
class OrderTransferQr(MethodView):
    @blp.authenticated
    @blp.response(
        200,
        {"type": "string", "format": "binary"},
        content_type=bank_transfers.CONTENT_TYPE,
        description="The VietQR code of the transfer (PNG)",
    )
    def get(self, order_id):
        """The VietQR code a banking app scans to pay the order; 404 once it is paid or cancelled."""
        png = bank_transfers.transfer_qr_png(api_user(), order_id)
        return Response(png, mimetype=bank_transfers.CONTENT_TYPE, headers={"Cache-Control": "private, no-store"})
