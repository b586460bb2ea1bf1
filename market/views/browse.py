"""Buying pages: the marketplace with its filters, a listing with its trace, the cart and checkout."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core import replay
from core.accounts.current import current_organization
from core.errors import Conflict, ValidationError
from core.geo.picker import new_address_picker, read_address_picker
from core.i18n import may_be_signed_in, money
from market.errors import LotNotSaleableError
from market.pricing import MAX_AMOUNT
from market.services import cart, orders, search
from market.services.describe import describe_listings
from market.services.listings import my_organization_ids
from market.views import bp, page_number, whole_dong
from market.views.orders import lot_problem
from traceability import catalog

PER_PAGE = 20
INVALID = 422
CART_KEY = "market_cart"
COMMODITY_NAMES = {"cashew": _l("Cashew"), "pepper": _l("Pepper"), "rubber": _l("Rubber")}
CERTIFICATION_NAMES = {
    "vietgap": "VietGAP",
    "globalgap": "GlobalG.A.P.",
    "organic": _l("Organic"),
    "rainforest_alliance": "Rainforest Alliance",
    "fairtrade": "Fairtrade",
}
SORT_NAMES = {"newest": _l("Newest first"), "price_asc": _l("Cheapest first"), "price_desc": _l("Most expensive first")}
PAYMENT_NAMES = {"cod": _l("Cash on delivery"), "card": _l("Card"), "vietqr": _l("Bank transfer (VietQR)")}


def _viewer_ids() -> set[int]:
    return my_organization_ids(current_user if current_user.is_authenticated else None)


def _price_arg(name: str, errors: dict[str, list[str]]) -> int | None:
    """A price filter in đồng; one that is not a number or too large is dropped with a message under its field."""
    text = (request.args.get(name) or "").strip()
    price = whole_dong(text)
    if text and price is None:
        errors[name] = [_("Enter a price of at most %(price)s.", price=money(MAX_AMOUNT))]
    return price


def _filters(errors: dict[str, list[str]]) -> search.Filters:
    args = request.args
    eudr = {"yes": True, "no": False}.get(args.get("eudr", ""))
    sort = args.get("sort") if args.get("sort") in search.SORTS else "newest"
    return search.Filters(
        commodity=args.get("commodity") or None,
        product=args.get("product") or None,
        grade=args.get("grade") or None,
        certification=args.get("certification") or None,
        commune=args.get("commune") or None,
        eudr_ready=eudr,
        price_min=_price_arg("price_min", errors),
        price_max=_price_arg("price_max", errors),
        sort=sort,
    )


def _options() -> dict:
    return {
        "commodities": COMMODITY_NAMES,
        "products": [(p.code, p.name) for p in catalog.PRODUCTS.values()],
        "certifications": CERTIFICATION_NAMES,
        "sorts": SORT_NAMES,
        "communes": [(unit.code, unit.name) for unit in new_address_picker().communes],
    }


@bp.get("")
def browse():
    page = page_number()
    errors: dict[str, list[str]] = {}
    filters = _filters(errors)
    try:
        found, total = search.search_listings(filters, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    except ValidationError:
        flash(_("Check the price range: the lowest price is above the highest."), "error")
        found, total = [], 0
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    if not errors and not may_be_signed_in():
        # The same search by any visitor gets the same page: it may be sent again for a few seconds (core.replay);
        # the stock it shows may be that old, checkout always counts the real stock.
        replay.mark("market_search", seconds=current_app.config["MARKET_SEARCH_SECONDS"])
    return render_template(
        "market/browse.html",
        listings=describe_listings(found, _viewer_ids()),
        total=total,
        page=page,
        per_page=PER_PAGE,
        args=args,
        values=request.args,
        errors=errors,
        payment_names=PAYMENT_NAMES,
        **_options(),
    )


def _listing_page(listing_id: str, errors: dict, values, status: int = 200):
    viewer = _viewer_ids()
    found = search.public_listing(listing_id, viewer)
    if found is None:
        abort(404)
    described = describe_listings([found], viewer, with_trace=True)[0]
    page = render_template(
        "market/listing.html",
        listing=described,
        certifications=CERTIFICATION_NAMES,
        payment_names=PAYMENT_NAMES,
        errors=errors,
        values=values,
    )
    return page, status


@bp.get("/listings/<listing_id>")
def listing(listing_id):
    return _listing_page(listing_id, {}, {})


def _cart() -> dict[str, str]:
    stored = session.get(CART_KEY)
    return dict(stored) if isinstance(stored, dict) else {}


@bp.post("/cart/add")
def cart_add():
    listing_id = request.form.get("listing_id", "")
    try:
        session[CART_KEY] = cart.add(_cart(), listing_id, request.form.get("quantity"))
    except ValidationError as error:
        # The listing again, the quantity typed kept in its field with the one reason it was refused.
        errors = {"quantity": error.errors.get("quantity") or [error.detail]}
        return _listing_page(listing_id, errors, request.form, INVALID)
    flash(_("Added to your cart."), "success")
    return redirect(url_for("market.cart_page"), code=303)


@bp.get("/cart")
def cart_page():
    return render_template("market/cart.html", cart=cart.view(_cart(), _viewer_ids()))


@bp.post("/cart")
def cart_update():
    current = _cart()
    quantities = {listing_id: request.form.get(f"quantity-{listing_id}", current[listing_id]) for listing_id in current}
    if request.form.get("remove"):
        quantities[request.form["remove"]] = ""
    session[CART_KEY] = cart.update(current, quantities)
    flash(_("Cart updated."), "success")
    return redirect(url_for("market.cart_page"), code=303)


def _preview(picker) -> dict:
    """The cart with the fees and totals of the delivery chosen on the form (the picker's province when delivered)."""
    method = request.form.get("delivery_method", "pickup")
    province = picker.province_code if method == "delivery" else None
    return cart.checkout_preview(_cart(), _viewer_ids(), method, province)


def _checkout_page(picker, errors: dict, status: int = 200, *, notice: str | None = None):
    return (
        render_template(
            "market/checkout.html",
            cart=_preview(picker),
            picker=picker,
            errors=errors,
            notice=notice,
            values=request.form,
            payment_names=PAYMENT_NAMES,
            organization=current_organization(),
        ),
        status,
    )


def _total_changed(picker) -> bool:
    """The form says which total the buyer saw; placing for another one would charge what they were not shown."""
    seen = request.form.get("previewed_total")
    return seen is not None and seen != str(_preview(picker)["grand_total"])


@bp.route("/checkout", methods=["GET", "POST"])
@login_required
def checkout():
    if not _cart():
        flash(_("Your cart is empty."), "error")
        return redirect(url_for("market.browse"), code=303)
    if request.method == "GET":
        return _checkout_page(new_address_picker(), {})
    method = request.form.get("delivery_method", "pickup")
    if request.form.get("address-refresh") or request.form.get("preview"):  # only redraw the form and its totals
        return _checkout_page(read_address_picker(request.form), {})
    picker = read_address_picker(request.form) if method == "delivery" else new_address_picker()
    if method == "delivery" and not picker.is_complete:
        return _checkout_page(picker, {}, 200 if picker.refresh else 422)
    if _total_changed(picker):
        changed = _("The total changed with your delivery choice: check it, then place the order.")
        return _checkout_page(picker, {}, notice=changed)
    return _place(picker, method)


def _place(picker, method: str):
    """One order per seller, for the delivery chosen; the form again with the reason when it is refused."""
    delivery = {
        "method": method,
        "address": {"commune_code": picker.commune_code, "street": picker.street} if method == "delivery" else None,
    }
    organization = current_organization()
    try:
        placed = orders.place_orders(
            current_user,
            items=cart.items(_cart()),
            payment_method=request.form.get("payment_method", ""),
            delivery=delivery,
            buyer_organization_id=organization.id if organization else None,
        )
    except LotNotSaleableError as error:
        return _checkout_page(picker, {"items": [lot_problem(error)]}, error.status)
    except (ValidationError, Conflict) as error:
        return _checkout_page(picker, error.errors or {"_form": [error.detail]}, error.status)
    session.pop(CART_KEY, None)
    flash(_("Thank you! %(count)d order(s) placed; each seller confirms theirs.", count=len(placed)), "success")
    if len(placed) == 1 and placed[0].payment_method != "cod":  # pay it now: card form, or the transfer's QR code
        target = "market.order_pay" if placed[0].payment_method == "card" else "market.order_detail"
        return redirect(url_for(target, order_id=placed[0].public_id), code=303)
    return redirect(url_for("market.my_orders"), code=303)
