"""Marketplace API schemas. Inputs check shape and types; the services decide what is valid and name the field.

Money is an integer of VND. Quantities are kilograms, given as a JSON number or
as text with a dot as the decimal mark ("12.5"; "1.250" is 1.25 kg, and "12,5"
is refused), and answered as text, so that no float ever rounds a kilogram.
"""

from __future__ import annotations

from decimal import Decimal

from marshmallow import Schema, fields, validate

from core.openapi import DecimalField
from market.pricing import MAX_AMOUNT

LISTING_STATUSES = ("draft", "active", "paused", "sold_out")
ORDER_STATUSES = (
    "pending_payment",
    "paid",
    "accepted",
    "shipped",
    "delivered",
    "completed",
    "cancelled",
    "expired",
    "refunded",
    "partially_refunded",
)
PAYMENT_METHODS = ("card", "vietqr", "cod")


class Kilograms(DecimalField):
    """Kilograms in, as a number or text with a dot for decimals; text out ("12.5")."""

    default_error_messages = {"invalid": "Enter a quantity in kg."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise self.make_error("invalid")
        return repr(value) if isinstance(value, float) else value

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value)


class OrderPartySchema(Schema):
    id = fields.Int()
    name = fields.Str(allow_none=True)


class ListingSellerSchema(OrderPartySchema):
    verified = fields.Bool(
        metadata={"description": "Verified by the provincial Department of Agriculture and Environment"}
    )


class PriceTierSchema(Schema):
    min_quantity = Kilograms(required=True, metadata={"description": "From this many kg"})
    price_per_kg = fields.Int(
        required=True, strict=True, metadata={"description": "VND per kg, lower than the tier before"}
    )


class _ListingFields(Schema):
    title_en = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=200))
    description = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=5000))
    description_en = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=5000))
    min_order_quantity = Kilograms(load_default=None, allow_none=True, metadata={"description": "kg; default 1 kg"})
    price_tiers = fields.List(fields.Nested(PriceTierSchema), load_default=list)
    payment_methods = fields.List(
        fields.Str(),
        load_default=lambda: ["cod"],
        metadata={"description": "cod; vietqr once the seller gave a bank account; card once Stripe is set up"},
    )
    photos = fields.List(
        fields.Str(),
        load_default=list,
        metadata={"description": "Public ids of photos uploaded with POST /api/v1/photos"},
    )
    pickup = fields.Bool(load_default=True, metadata={"description": "The buyer may collect at the seller's address"})
    delivery_fees = fields.Dict(
        keys=fields.Str(),
        values=fields.Int(strict=True),
        load_default=dict,
        metadata={"description": 'Province code → delivery fee in VND, e.g. {"75": 50000}'},
    )


class ListingCreateSchema(_ListingFields):
    batch_code = fields.Str(required=True, metadata={"description": "A lot your organization holds"})
    title = fields.Str(
        required=True, validate=validate.Length(min=1, max=200), metadata={"description": "In Vietnamese"}
    )
    price_per_kg = fields.Int(required=True, strict=True, metadata={"description": "VND per kg"})
    quantity = Kilograms(
        required=True, metadata={"description": "kg offered; at most what the lot has not yet offered elsewhere"}
    )


class ListingUpdateSchema(Schema):
    """Only the fields sent change."""

    title = fields.Str(validate=validate.Length(min=1, max=200))
    title_en = fields.Str(allow_none=True, validate=validate.Length(max=200))
    description = fields.Str(allow_none=True, validate=validate.Length(max=5000))
    description_en = fields.Str(allow_none=True, validate=validate.Length(max=5000))
    price_per_kg = fields.Int(strict=True)
    quantity = Kilograms()
    min_order_quantity = Kilograms()
    price_tiers = fields.List(fields.Nested(PriceTierSchema))
    payment_methods = fields.List(fields.Str())
    photos = fields.List(fields.Str())
    pickup = fields.Bool()
    delivery_fees = fields.Dict(keys=fields.Str(), values=fields.Int(strict=True))
    status = fields.Str(
        validate=validate.OneOf(LISTING_STATUSES),
        metadata={"description": "active publishes, paused hides; sold_out is set by the marketplace"},
    )


class TraceSummarySchema(Schema):
    code = fields.Str()
    product_name = fields.Str()
    grade = fields.Str(allow_none=True)
    harvest_start = fields.Date(allow_none=True)
    harvest_end = fields.Date(allow_none=True)
    commune_codes = fields.List(fields.Str())
    communes = fields.List(fields.Str(allow_none=True))
    farms = fields.List(fields.Str())
    plot_count = fields.Int()
    certifications = fields.List(fields.Str())
    eudr_applicable = fields.Bool()
    eudr_ready = fields.Bool(allow_none=True)
    eudr_reasons = fields.List(fields.Str())
    event_count = fields.Int()


class ListingRecallSchema(Schema):
    reason = fields.Str()
    at = fields.AwareDateTime()


class ListingSchema(Schema):
    id = fields.Str(metadata={"description": "Public listing id"})
    batch_code = fields.Str()
    title = fields.Str()
    title_en = fields.Str(allow_none=True)
    description = fields.Str(allow_none=True)
    description_en = fields.Str(allow_none=True)
    price_per_kg = fields.Int()
    price_tiers = fields.List(fields.Nested(PriceTierSchema))
    quantity = Kilograms(dump_only=True, metadata={"description": "kg offered"})
    available = Kilograms(dump_only=True, metadata={"description": "kg that can still be ordered"})
    reserved = Kilograms(
        dump_only=True, allow_none=True, metadata={"description": "kg held by unpaid orders (the seller only)"}
    )
    sold = Kilograms(dump_only=True, allow_none=True, metadata={"description": "kg sold (the seller only)"})
    min_order_quantity = Kilograms(dump_only=True)
    payment_methods = fields.List(fields.Str(validate=validate.OneOf(PAYMENT_METHODS)))
    photos = fields.List(fields.Str())
    pickup = fields.Bool()
    delivery_fees = fields.Dict(keys=fields.Str(), values=fields.Int())
    status = fields.Str(metadata={"description": " | ".join(LISTING_STATUSES)})
    commodity = fields.Str()
    product = fields.Str()
    grade = fields.Str(allow_none=True)
    eudr_ready = fields.Bool(
        allow_none=True, metadata={"description": "Rubber only: every origin plot is EUDR-compliant"}
    )
    certifications = fields.List(fields.Str())
    commune_codes = fields.List(fields.Str(), metadata={"description": "Communes of the origin plots"})
    seller = fields.Nested(ListingSellerSchema)
    trace_url = fields.Str(metadata={"description": "The lot's public trace page"})
    trace = fields.Nested(TraceSummarySchema, allow_none=True)
    recall = fields.Nested(
        ListingRecallSchema,
        allow_none=True,
        metadata={"description": "Set when the lot (or a lot it was made from) is recalled: it cannot be ordered"},
    )
    created_at = fields.AwareDateTime()
    published_at = fields.AwareDateTime(allow_none=True)


class ListingQuerySchema(Schema):
    commodity = fields.Str(validate=validate.OneOf(("cashew", "pepper", "rubber")))
    product = fields.Str()
    grade = fields.Str()
    certification = fields.Str(metadata={"description": "vietgap, globalgap, organic, rainforest_alliance, fairtrade"})
    commune = fields.Str(metadata={"description": "GSO commune code of an origin plot"})
    eudr_ready = fields.Bool()
    price_min = fields.Int(validate=validate.Range(min=0, max=MAX_AMOUNT), metadata={"description": "VND per kg"})
    price_max = fields.Int(validate=validate.Range(min=0, max=MAX_AMOUNT), metadata={"description": "VND per kg"})
    sort = fields.Str(load_default="newest", validate=validate.OneOf(("newest", "price_asc", "price_desc")))
    mine = fields.Bool(
        load_default=False,
        metadata={"description": "Your organizations' listings, drafts and paused ones included (needs a token)"},
    )


class OrderAddressSchema(Schema):
    commune_code = fields.Str(required=True, metadata={"description": "GSO commune code (since July 2025)"})
    street = fields.Str(load_default=None, allow_none=True)


class OrderDeliveryRequestSchema(Schema):
    method = fields.Str(load_default="pickup", validate=validate.OneOf(("pickup", "delivery")))
    address = fields.Nested(OrderAddressSchema, load_default=None, allow_none=True)


class OrderItemSchema(Schema):
    listing_id = fields.Str(required=True)
    quantity = Kilograms(required=True)


class OrderCreateSchema(Schema):
    items = fields.List(fields.Nested(OrderItemSchema), required=True, validate=validate.Length(min=1))
    payment_method = fields.Str(
        required=True,
        metadata={"description": "cod; vietqr where the seller gave a bank account; card once Stripe is set up"},
    )
    delivery = fields.Nested(OrderDeliveryRequestSchema, load_default=None)
    buyer_organization_id = fields.Int(load_default=None, metadata={"description": "Default: your first organization"})


class OrderLineSchema(Schema):
    listing_id = fields.Str(allow_none=True)
    batch_code = fields.Str()
    title = fields.Str()
    quantity = Kilograms(dump_only=True)
    unit_price = fields.Int(metadata={"description": "VND per kg, volume price applied"})
    line_total = fields.Int(metadata={"description": "unit_price × quantity in VND, rounded half up"})
    buyer_batch_code = fields.Str(allow_none=True, metadata={"description": "The buyer's own lot, once shipped"})
    buyer_trace_url = fields.Str(allow_none=True)


class OrderTotalsSchema(Schema):
    subtotal = fields.Int()
    delivery_fee = fields.Int()
    total = fields.Int()
    refunded = fields.Int()
    currency = fields.Str()


class OrderDeliveryAddressSchema(Schema):
    commune_code = fields.Str()
    street = fields.Str(allow_none=True)
    text = fields.Str()


class OrderDeliverySchema(Schema):
    method = fields.Str()
    address = fields.Nested(OrderDeliveryAddressSchema, allow_none=True)


class OrderStatusChangeSchema(Schema):
    from_ = fields.Str(data_key="from", attribute="from", allow_none=True)
    to = fields.Str()
    by_user_id = fields.Int(allow_none=True)
    by_name = fields.Str(allow_none=True)
    at = fields.AwareDateTime()
    note = fields.Str(allow_none=True)


class PaymentInstructionsSchema(Schema):
    """What the buyer must do to pay; which fields come depends on ``method`` (the others are left out)."""

    method = fields.Str(required=True, metadata={"description": "card | vietqr | cod"})
    amount_due = fields.Int(metadata={"description": "VND still to pay now (0 once paid or when nothing is due)"})
    currency = fields.Str(metadata={"description": "VND"})
    status = fields.Str(metadata={"description": "card and vietqr: pending | processing | confirmed | failed"})
    message = fields.Str(metadata={"description": "The same in English words"})
    pay_on = fields.Str(metadata={"description": "cod: pickup | delivery, when the cash is paid"})
    publishable_key = fields.Str(allow_none=True, metadata={"description": "card: Stripe's publishable key"})
    stripe_js_url = fields.Str(allow_none=True, metadata={"description": "card: where to load Stripe.js from"})
    card_payment_url = fields.Str(
        allow_none=True, metadata={"description": "card: POST the payment method here; null when nothing is due"}
    )
    payment_page_url = fields.Str(allow_none=True, metadata={"description": "card: the site's payment page"})
    payment_intent_id = fields.Str(allow_none=True, metadata={"description": "card: the latest attempt's"})
    failure_code = fields.Str(allow_none=True, metadata={"description": "card: why the latest attempt failed"})
    transfer_note = fields.Str(metadata={"description": "vietqr: the note the transfer must carry"})
    bank_bin = fields.Str(allow_none=True, metadata={"description": "vietqr: the seller's bank (NAPAS code)"})
    bank_name = fields.Str(allow_none=True)
    account_number = fields.Str(allow_none=True)
    account_name = fields.Str(allow_none=True)
    vietqr_payload = fields.Str(allow_none=True, metadata={"description": "vietqr: the QR's text; null once paid"})
    vietqr_image_url = fields.Str(allow_none=True, metadata={"description": "vietqr: the QR as a PNG"})


class OrderSchema(Schema):
    id = fields.Str()
    status = fields.Str(metadata={"description": " | ".join(ORDER_STATUSES)})
    buyer = fields.Nested(OrderPartySchema)
    seller = fields.Nested(OrderPartySchema)
    payment_method = fields.Str()
    lines = fields.List(fields.Nested(OrderLineSchema))
    totals = fields.Nested(OrderTotalsSchema)
    delivery = fields.Nested(OrderDeliverySchema)
    payment_instructions = fields.Nested(PaymentInstructionsSchema)
    expires_at = fields.AwareDateTime(allow_none=True, metadata={"description": "Until when the reservation holds"})
    created_at = fields.AwareDateTime()
    history = fields.List(fields.Nested(OrderStatusChangeSchema))
    next_statuses = fields.List(fields.Str(), metadata={"description": "Where you may move the order now"})


class OrdersResultSchema(Schema):
    orders = fields.List(fields.Nested(OrderSchema))


class OrderQuerySchema(Schema):
    role = fields.Str(validate=validate.OneOf(("buyer", "seller")))
    status = fields.Str(validate=validate.OneOf(ORDER_STATUSES))


class TransitionSchema(Schema):
    # The service refuses any other value with its own code (unknown_order_status); the document names them.
    to = fields.Str(
        required=True,
        metadata={"description": "The status to move the order to", "enum": list(ORDER_STATUSES)},
    )
    amount = fields.Int(
        load_default=None,
        strict=True,
        validate=validate.Range(min=0, max=MAX_AMOUNT),
        metadata={"description": "VND, for partially_refunded"},
    )
    reason = fields.Str(load_default=None, validate=validate.Length(max=1000))
    note = fields.Str(load_default=None, validate=validate.Length(max=1000))


class CardPaymentSchema(Schema):
    payment_method = fields.Str(
        required=True,
        validate=validate.Length(min=4, max=100),
        metadata={"description": "The payment method Stripe.js made of the card (pm_..., or card_... from a token)"},
    )


class CardAttemptSchema(Schema):
    payment_intent_id = fields.Str()
    status = fields.Str(
        metadata={"description": "Stripe's PaymentIntent status: succeeded, processing or requires_action"}
    )
    client_secret = fields.Str(
        allow_none=True,
        metadata={"description": "Only when status is requires_action: pass it to stripe.confirmCardPayment"},
    )


REFUND_REASONS = ("cancelled", "damaged", "quality", "short_delivery", "late", "goodwill", "other")


class RefundCreateSchema(Schema):
    amount = fields.Int(
        load_default=None,
        strict=True,
        validate=validate.Range(min=1, max=MAX_AMOUNT),
        metadata={"description": "VND to give back; omitted: all that is not refunded yet"},
    )
    reason_code = fields.Str(
        load_default="other",
        validate=validate.OneOf(REFUND_REASONS),
        metadata={
            "description": "cancelled (before shipping: the order is cancelled, its stock back on offer) | "
            + " | ".join(REFUND_REASONS[1:])
        },
    )
    reason = fields.Str(load_default=None, validate=validate.Length(max=1000))
    reference = fields.Str(
        load_default=None,
        validate=validate.Length(max=100),
        metadata={"description": "The bank reference of the transfer that returned the money (required for vietqr)"},
    )
    note = fields.Str(load_default=None, validate=validate.Length(max=1000))


class BankAccountRequestSchema(Schema):
    # Checked by the service, so that the API and the page say the same coded things.
    bank_bin = fields.Str(load_default=None, metadata={"description": "The bank's 6-digit NAPAS code, e.g. 970436"})
    account_number = fields.Str(load_default=None, metadata={"description": "Digits and letters, at most 19"})
    account_name = fields.Str(
        load_default=None, metadata={"description": "The holder as the bank shows it; stored upper-case, no accents"}
    )


class BankAccountSchema(Schema):
    organization_id = fields.Int()
    bank_bin = fields.Str()
    bank_name = fields.Str(allow_none=True)
    account_number = fields.Str()
    account_name = fields.Str()
    updated_at = fields.AwareDateTime()


class PaymentConfirmSchema(Schema):
    reference = fields.Str(
        load_default=None,
        validate=validate.Length(max=100),
        metadata={"description": "The bank's transaction code of the transfer (required for vietqr), or a receipt"},
    )
    amount = fields.Int(
        load_default=None,
        strict=True,
        validate=validate.Range(min=0, max=MAX_AMOUNT),
        metadata={"description": "VND received; when given it must be the order's total"},
    )


# Payout ledger
LEDGER_KINDS = ("sale", "refund", "refund_reversed", "payout")
BIGGEST_PAYOUT = 10**15  # far above any balance; keeps the number inside the database's 64-bit integers


class PayoutQuerySchema(Schema):
    organization_id = fields.Int(
        load_default=None, metadata={"description": "One of your organizations; default: your first selling one"}
    )


class BalanceSchema(Schema):
    organization_id = fields.Int()
    organization_name = fields.Str()
    balance = fields.Int(metadata={"description": "VND the platform owes you; negative: what you owe the platform"})
    currency = fields.Str()
    sales = fields.Int(metadata={"description": "VND of paid orders (lines and delivery fees)"})
    refunds = fields.Int(metadata={"description": "VND given back to buyers"})
    collected_by_seller = fields.Int(
        metadata={"description": "VND you received yourself (cash, transfers to your account), refunds deducted"}
    )
    fees = fields.Int(metadata={"description": "The platform's fees, refunded fees deducted"})
    paid_out = fields.Int(metadata={"description": "VND the platform transferred to you"})


class LedgerEntrySchema(Schema):
    id = fields.Int()
    kind = fields.Str(metadata={"description": " | ".join(LEDGER_KINDS)})
    order_id = fields.Str(allow_none=True, metadata={"description": "The order's id; empty for payouts"})
    for_delivery = fields.Bool(metadata={"description": "The order's delivery fee rather than one of its lines"})
    description = fields.Str(allow_none=True, metadata={"description": "The line's product, or the bank reference"})
    bank_reference = fields.Str(allow_none=True, metadata={"description": "Payouts: the bank transfer's reference"})
    collected_by_platform = fields.Bool(metadata={"description": "The platform took the money (card)"})
    gross = fields.Int(metadata={"description": "VND paid by the buyer (negative: given back)"})
    fee = fields.Int(metadata={"description": "The platform's fee of it (negative: fee given back)"})
    net = fields.Int(metadata={"description": "What the entry adds to your balance"})
    created_at = fields.AwareDateTime()


class PayeeAccountSchema(Schema):
    """Where a producer's payout is sent."""

    bank_bin = fields.Str()
    account_number = fields.Str()
    account_name = fields.Str()


class ProducerBalanceSchema(Schema):
    organization_id = fields.Int()
    organization_name = fields.Str(allow_none=True)
    balance = fields.Int()
    currency = fields.Str()
    bank_account = fields.Nested(PayeeAccountSchema, allow_none=True)


class PayoutCreateSchema(Schema):
    organization_id = fields.Int(required=True, strict=True)
    amount = fields.Int(
        required=True, strict=True, validate=validate.Range(max=BIGGEST_PAYOUT), metadata={"description": "VND"}
    )
    bank_reference = fields.Str(required=True, metadata={"description": "The bank transfer's reference; unique"})
    note = fields.Str(load_default=None, allow_none=True)


class PayoutSchema(Schema):
    id = fields.Int()
    organization_id = fields.Int(attribute="seller_id")  # a Payout row, with the balance left beside it
    amount = fields.Int()
    bank_reference = fields.Str()
    note = fields.Str(allow_none=True)
    created_at = fields.AwareDateTime()
    balance = fields.Int(metadata={"description": "What the platform still owes the producer after this payout"})
