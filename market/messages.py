"""What the marketplace services say to people: each message with its stable code and English template.

Services raise these (filled with their parameters); the JSON API shows the English text and the code, pages
translate them with ``core.i18n.translate`` (Vietnamese words, Vietnamese numbers). Code that must tell one refusal
from another compares codes, never the text.
"""

from __future__ import annotations

from core.messages import N_, Message

# Quantities typed in kg
QUANTITY_MISSING = Message("quantity_missing", N_("Enter a quantity in kg."))
QUANTITY_NOT_POSITIVE = Message("quantity_not_positive", N_("The quantity must be more than zero."))
QUANTITY_TOO_LARGE = Message("quantity_too_large", N_("The quantity is too large."))
WHOLE_KG_ONLY = Message("quantity_too_precise", N_("Whole kilograms only for this product."))
GRAMS_AT_MOST = Message("quantity_too_precise", N_("At most 3 decimals (grams)."))

# Listings
LISTING_NOT_FOUND = Message("listing_not_found", N_("No listing %(listing)s that you may see."))
LISTING_INVALID = Message("invalid", N_("The listing has invalid fields; see errors."))
REQUIRED = Message("required", N_("This is required."))
TOO_LONG = Message("too_long", N_("At most %(count)s characters."))
NO_PAYMENT_METHOD = Message("no_payment_method", N_("No payment method."))
ACCEPT_A_PAYMENT_METHOD = Message("no_payment_method", N_("Accept at least one payment method."))
TOO_MANY_PHOTOS = Message("too_many_photos", N_("Too many photos."))
PHOTOS_AT_MOST = Message("too_many_photos", N_("At most %(count)s photos."))
UNKNOWN_PHOTO = Message("unknown_photo", N_("Unknown photo."))
NO_SUCH_PHOTO = Message("unknown_photo", N_("No photo %(photo)s uploaded by your organization."))
LOT_NOT_YET_OFFERED = Message("offer_exceeds_lot", N_("Lot %(lot)s has %(kg)s kg not yet offered."))
OFFER_AT_MOST = Message(
    "offer_exceeds_lot",
    N_("At most %(kg)s kg of lot %(lot)s can still be offered (its other listings take the rest)."),
)
MIN_ORDER_ABOVE_QUANTITY = Message(
    "min_order_above_quantity", N_("The minimum order cannot be more than the quantity offered.")
)
NO_WAY_TO_DELIVER = Message("no_way_to_deliver", N_("Offer pickup, or delivery to at least one province."))
UNKNOWN_LISTING_STATUS = Message("unknown_status", N_("Unknown status."))
USE_LISTING_STATUS = Message("unknown_status", N_("Use draft, active or paused."))
SOLD_OUT_BY_MARKET = Message("status_set_by_market", N_("Sold out is set by the marketplace."))
SOLD_OUT_BY_ITSELF = Message("status_set_by_market", N_("A listing becomes sold out by itself when nothing is left."))
PUBLISHED_NOT_DRAFT = Message(
    "transition_not_allowed", N_("A published listing cannot go back to draft; pause it instead.")
)
DRAFT_NOT_PAUSED = Message("transition_not_allowed", N_("A draft cannot be paused; publish it first."))
LISTED_LOT_NOT_HELD = Message("lot_not_held", N_("Lot %(lot)s is no longer held by the seller or has nothing left."))
BELOW_COMMITTED = Message("below_committed", N_("%(kg)s kg is already reserved or sold; offer at least that."))

# Lots behind listings (checkout and acceptance)
LOT_RECALLED = Message("lot_recalled", N_("Lot %(lot)s is recalled; nothing of it can be sold."))
LOT_NOT_HELD = Message("lot_not_held", N_("Lot %(lot)s is no longer held by the seller."))
LOT_USED_UP = Message("lot_used_up", N_("Nothing is left of lot %(lot)s."))
LISTING_LOT_REFUSED = Message("lot_not_saleable", N_("Listing %(listing)s cannot be ordered: %(reason)s"))
ACCEPTANCE_LOT_REFUSED = Message("lot_not_saleable", N_("The order cannot be accepted: %(reason)s"))
LOT_SHORT = Message("lot_short", N_("Lot %(lot)s has %(left)s kg left; this order needs %(needed)s kg of it."))

# Stock
LISTING_SOLD_OUT = Message("sold_out", N_("Listing %(listing)s is sold out."))
LISTING_HAS_LEFT = Message("sold_out", N_("Listing %(listing)s has %(left)s kg left; %(asked)s kg was asked."))
ONLY_LEFT_OF_LISTING = Message("sold_out", N_("Only %(left)s kg of listing %(listing)s is left."))

# Cart
NOT_AVAILABLE = Message("not_available", N_("Not available."))
OFFER_NOT_ORDERABLE = Message("not_available", N_("This offer cannot be ordered now."))
CART_LOT_RECALLED = Message("lot_recalled", N_("This lot was recalled; it cannot be ordered."))
CART_FULL = Message("cart_full", N_("The cart is full."))
CART_AT_MOST = Message("cart_full", N_("At most %(count)s offers in one cart."))
NOT_THAT_MUCH = Message("sold_out", N_("Not that much left."))
ONLY_LEFT = Message("sold_out", N_("Only %(quantity)s kg is left."))
MIN_ORDER = Message("below_min_order", N_("The minimum order is %(quantity)s kg."))
BELOW_MIN_ORDER = Message("below_min_order", N_("Below the minimum order."))

# Checkout
NOT_YOUR_ORGANIZATION = Message("not_your_organization", N_("Not your organization."))
YOU_DO_NOT_ACT_FOR = Message("not_your_organization", N_("You do not act for this organization."))
NO_ORGANIZATION = Message("no_organization", N_("No organization."))
JOIN_AN_ORGANIZATION = Message("no_organization", N_("Join or create an organization before buying."))
CART_EMPTY = Message("cart_empty", N_("The cart is empty."))
ADD_A_LISTING = Message("cart_empty", N_("Add at least one listing."))
TOO_MANY_ITEMS = Message("too_many_items", N_("Too many items."))
ITEMS_AT_MOST = Message("too_many_items", N_("At most %(count)s items in one checkout."))
LISTING_NOT_ON_OFFER = Message(
    "listing_unavailable", N_("Listing %(listing)s is %(status)s and cannot be ordered now.")
)
OWN_LISTING = Message("own_listing", N_("Your own listing."))
OWN_OFFER = Message("own_listing", N_("Listing %(listing)s is your organization's own offer."))
METHOD_NOT_ACCEPTED = Message("payment_method_not_accepted", N_("Payment method not accepted."))
LISTING_REFUSES_METHOD = Message("payment_method_not_accepted", N_("Listing %(listing)s does not accept %(method)s."))
QUANTITIES_INVALID = Message("invalid", N_("Some quantities are not valid."))
LISTING_MIN_ORDER = Message("below_min_order", N_("The minimum order of listing %(listing)s is %(quantity)s kg."))
PICKUP_NOT_OFFERED = Message("pickup_not_offered", N_("Pickup not offered."))
LISTING_NO_PICKUP = Message("pickup_not_offered", N_("Listing %(listing)s is not offered for pickup; choose delivery."))
UNKNOWN_DELIVERY = Message("unknown_delivery_method", N_("Unknown delivery method."))
CHOOSE_DELIVERY = Message("unknown_delivery_method", N_("Choose pickup or delivery."))
STREET_TOO_LONG = Message("too_long", N_("Street too long."))
NO_DELIVERY_THERE = Message("no_delivery_there", N_("No delivery to this province."))
SELLER_DOES_NOT_DELIVER = Message(
    "no_delivery_there", N_("A seller in your cart does not deliver to %(province)s; choose pickup.")
)

# Orders and their transitions
ORDER_NOT_FOUND = Message("order_not_found", N_("No order %(order)s that you may see."))
TRANSITION_NOT_ALLOWED = Message("transition_not_allowed", N_("An order that is %(current)s cannot become %(target)s."))
ORDER_LAPSED = Message(
    "order_expired",
    N_(
        "The order's time ran out before it could become %(target)s; "
        "it has expired and its reserved stock is back on offer."
    ),
)
UNKNOWN_ORDER_STATUS = Message("unknown_status", N_("Unknown status."))
USE_ORDER_STATUS = Message("unknown_status", N_("Unknown status %(status)s; use one of: %(allowed)s."))
ONLY_ROLES_MAY = Message("forbidden", N_("Only the %(roles)s may make an order %(target)s."))
FULL_REFUND_IS_REMAINDER = Message("refund_amount", N_("A full refund is what remains."))
FULL_REFUND_GIVES_BACK = Message("refund_amount", N_("A full refund gives back the %(amount)s VND not yet refunded."))
GIVE_THE_AMOUNT = Message("refund_amount", N_("Give the amount."))
PARTIAL_REFUND_RANGE = Message("refund_amount", N_("A partial refund is more than 0 and less than %(amount)s VND."))
NOTE_TOO_LONG = Message("too_long", N_("Note too long."))

# Payment methods and delivery fees
CARD_NOT_CONFIGURED = Message("payment_method_unavailable", N_("Card payments are not set up on this server."))
CARD_NOT_CONFIGURED_FIELD = Message(
    "payment_method_unavailable",
    N_("Card payments are not set up on this server; choose a bank transfer (vietqr) or cash on delivery (cod)."),
)
NO_BANK_ACCOUNT = Message("bank_account_missing", N_("No bank account to receive transfers."))
NO_BANK_ACCOUNT_FIELD = Message(
    "bank_account_missing",
    N_("Add the bank account that VietQR transfers are paid into before accepting them (vietqr)."),
)
PAYMENT_METHOD_UNKNOWN = Message("payment_method_unknown", N_("Unknown payment method."))
PAYMENT_METHOD_UNKNOWN_FIELD = Message(
    "payment_method_unknown", N_("Unknown payment method %(method)s; use one of: %(allowed)s.")
)
PROVINCE_UNKNOWN = Message("province_unknown", N_("Unknown province."))
NOT_A_PROVINCE_CODE = Message("province_unknown", N_("%(code)s is not a province code."))

# Prices, volume prices and delivery fees
ENTER_WHOLE_DONG = Message("price_invalid", N_("Enter a price in whole đồng."))
PRICE_OUT_OF_RANGE = Message("price_out_of_range", N_("The price is out of range."))
PRICE_BOUNDS = Message("price_out_of_range", N_("The price must be more than 0 and at most 1.000.000.000 đồng per kg."))
TOO_MANY_TIERS = Message("too_many_tiers", N_("Too many price tiers."))
TIERS_AT_MOST = Message("too_many_tiers", N_("At most %(count)s volume prices."))
TIERS_SAME_START = Message("tiers_same_start", N_("Two tiers start at the same quantity."))
TIER_NEEDS_OWN_MINIMUM = Message("tiers_same_start", N_("Each volume price needs its own minimum quantity."))
TIERS_NOT_CHEAPER = Message("tiers_not_cheaper", N_("Tiers must get cheaper."))
LARGER_QUANTITY_LOWER_PRICE = Message("tiers_not_cheaper", N_("A larger quantity must have a lower price per kg."))
FEE_INVALID = Message("fee_invalid", N_("Invalid fee."))
FEE_WHOLE_DONG = Message("fee_invalid", N_("A delivery fee is a whole number of đồng, 0 or more."))

# Card payments (Stripe), webhooks, refunds and reconciliation
ONLY_BUYER_PAYS = Message("forbidden", N_("Only the buyer of this order may pay it."))
NOT_A_CARD_ORDER = Message("not_a_card_order", N_("This order is paid by %(method)s, not by card."))
ORDER_NOT_PAYABLE = Message("order_not_payable", N_("This order is %(status)s; it cannot be paid now."))
PAYMENT_IN_PROGRESS = Message(
    "payment_in_progress", N_("A card payment of this order is already being processed; wait for its result.")
)
BELOW_CARD_MINIMUM = Message(
    "amount_below_card_minimum",
    N_("Card payments start at %(minimum)s VND; this order is %(amount)s VND. Pay by bank transfer or cash instead."),
)
PAYMENT_METHOD_ID = Message("invalid", N_("A card payment method id (pm_... or card_...) from Stripe.js."))
CARD_DECLINED = Message(
    "card_declined",
    N_(
        "The card was declined (%(reason)s). The order is cancelled and its goods are back on offer; order again "
        "with another card or another way to pay."
    ),
)
CARD_PROVIDER_DOWN = Message(
    "payment_provider_unavailable",
    N_(
        "The card payment service did not answer. If your card was charged, the order shows as paid in a moment; "
        "otherwise try again."
    ),
)
WEBHOOK_SIGNATURE = Message("bad_signature", N_("The webhook's signature does not match: %(reason)s."))
WEBHOOK_BODY = Message("bad_payload", N_("The webhook's body is not a JSON event."))
REFUND_REFERENCE_NEEDED = Message(
    "refund_reference_required", N_("Give the bank reference of the transfer that returned the money.")
)
REFUND_REASON_UNKNOWN = Message("unknown_reason", N_("Unknown reason %(reason)s; use one of: %(allowed)s."))
CANCEL_REFUND_IS_FULL = Message(
    "refund_amount", N_("A cancellation refunds the whole %(amount)s VND; give no amount or exactly that.")
)
ADMINS_ONLY = Message("forbidden", N_("Only the platform's administrators may do this."))
FLAG_NOT_FOUND = Message("flag_not_found", N_("No payment flag %(flag)s."))

# Sellers' bank accounts, VietQR transfers and payment confirmations
BANK_ACCOUNT_INVALID = Message("invalid", N_("The bank account has invalid fields; see errors."))
BANK_UNKNOWN = Message("bank_unknown", N_("Choose your bank from the list."))
# The code is not repeated in the message: it is a code, and a page would write it as a number ("123.456").
BANK_BIN_UNKNOWN = Message(
    "bank_unknown", N_("This is not the NAPAS code of a bank we know; choose one from the list.")
)
ACCOUNT_NUMBER_FORMAT = Message("account_number_invalid", N_("Digits and letters only, at most %(count)s."))
ACCOUNT_NAME_FORMAT = Message(
    "account_name_invalid", N_("Write the account holder's name as your bank shows it, in letters without accents.")
)
NO_TRANSFER_QR = Message("not_found", N_("Order %(order)s has no transfer to make."))
TRANSFER_IS_THE_TOTAL = Message("amount_mismatch", N_("The payment must be the order's total."))
ORDER_TOTAL_IS = Message("amount_mismatch", N_("The order's total is %(amount)s đồng."))
GIVE_THE_REFERENCE = Message("reference_required", N_("Give the bank reference of the transfer."))
REFERENCE_FROM_BANK = Message(
    "reference_required", N_("Enter the transaction code that your bank app shows for this transfer.")
)
REFERENCE_USED = Message("reference_used", N_("This reference already confirms another payment."))
REFERENCE_USED_FIELD = Message(
    "reference_used", N_("Reference %(reference)s already confirms the payment of another order.")
)

# Payout ledger
PAYOUTS_ADMIN_ONLY = Message("forbidden", N_("Only a platform administrator may record payouts."))
NO_SELLER_ORGANIZATION = Message("not_found", N_("You act for no organization that sells on the marketplace."))
PAYOUT_INVALID = Message("payout_invalid", N_("The payout has invalid fields; see errors."))
PAYOUT_AMOUNT_POSITIVE = Message("payout_amount", N_("A payout is a whole number of đồng, more than 0."))
PAYOUT_ABOVE_BALANCE = Message(
    "payout_above_balance", N_("The platform owes this producer %(balance)s VND; a payout cannot be more.")
)
PAYOUT_NOTHING_OWED = Message(
    "payout_above_balance", N_("The platform owes this producer nothing now (balance %(balance)s VND).")
)
BANK_REFERENCE_REQUIRED = Message("bank_reference_required", N_("Enter the bank transfer's reference."))
BANK_REFERENCE_TAKEN = Message(
    "bank_reference_taken", N_("A payout with the bank reference %(reference)s is already recorded.")
)
PRODUCER_UNKNOWN = Message("not_found", N_("No producer %(organization)s."))
