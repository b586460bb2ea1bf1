"""Seller pages: my listings, and the form to offer part of a lot or change an offer."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.accounts.current import organization_or_404
from core.errors import Conflict, ValidationError
from core.files.services import store_image
from core.geo.services import list_provinces
from core.i18n import number
from market.payments import offered_methods
from market.services import listings
from market.services.describe import describe_listings
from market.views import bp, page_number, whole_dong
from market.views.browse import PAYMENT_NAMES

PER_PAGE = 20
TIER_ROWS = 3
FEE_ROWS = 3
LISTING_STATUS_NAMES = {
    "draft": _l("Draft"),
    "active": _l("On sale"),
    "paused": _l("Paused"),
    "sold_out": _l("Sold out"),
}


@bp.get("/my-listings")
@login_required
def my_listings():
    organization = organization_or_404()
    page = page_number()
    found, total = listings.own_listings(current_user, organization.id, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    return render_template(
        "market/my_listings.html",
        organization=organization,
        listings=describe_listings(found, {organization.id}),
        total=total,
        page=page,
        per_page=PER_PAGE,
        status_names=LISTING_STATUS_NAMES,
    )


def _photos_from_form(form, files, organization) -> list[str]:
    """Photos kept from an earlier attempt, plus one taken now with the camera (stored first)."""
    photos = [p for p in form.getlist("photos") if p]
    upload = files.get("photo")
    if upload is not None and upload.filename:
        photos.append(store_image(current_user, organization.id, upload).public_id)
    return photos


def _values_from_form(form) -> dict:
    """The listing fields as the service takes them; rows left empty are skipped."""
    tiers = [
        {"min_quantity": form.get(f"tier_min_{i}"), "price_per_kg": form.get(f"tier_price_{i}", "")}
        for i in range(TIER_ROWS)
        if (form.get(f"tier_min_{i}") or "").strip() or (form.get(f"tier_price_{i}") or "").strip()
    ]
    fees = {}
    for i in range(FEE_ROWS):
        province = form.get(f"fee_province_{i}", "")
        if province:
            fees[province] = whole_dong(form.get(f"fee_{i}"), default=-1)
    return {
        "title": form.get("title", ""),
        "title_en": form.get("title_en"),
        "description": form.get("description"),
        "description_en": form.get("description_en"),
        "price_per_kg": form.get("price_per_kg", ""),
        "quantity": form.get("quantity", ""),
        "min_order_quantity": form.get("min_order_quantity") or None,
        "price_tiers": tiers,
        "payment_methods": _payment_methods(form),
        "pickup": form.get("pickup") == "y",
        "delivery_fees": fees,
        "photos": [p for p in form.getlist("photos") if p],
    }


def _payment_methods(form) -> list[str]:
    """The boxes ticked; a form from before the choice existed (one queued offline on a phone) meant cash only."""
    if form.get("payment_choice") != "y":
        return ["cod"]
    return [m for m in form.getlist("payment_methods") if m]


def _kept(form, values: dict) -> dict:
    """What was typed, with the photos stored so far, for the form shown again."""
    kept = form.to_dict()
    kept["photos"] = values.get("photos", [])
    kept["payment_methods"] = values.get("payment_methods", [])
    return kept


def _form_values(listing: dict) -> dict:
    values = {
        key: listing.get(key) or "" for key in ("title", "title_en", "description", "description_en", "price_per_kg")
    }
    # Kilograms as the page's language writes them: the form reads them back the same way.
    values["quantity"], values["min_order_quantity"] = (
        number(listing["quantity"]),
        number(listing["min_order_quantity"]),
    )
    values["pickup"] = "y" if listing["pickup"] else ""
    for i, tier in enumerate(listing["price_tiers"][:TIER_ROWS]):
        values[f"tier_min_{i}"], values[f"tier_price_{i}"] = number(Decimal(tier["min_quantity"])), tier["price_per_kg"]
    for i, (province, fee) in enumerate(list(listing["delivery_fees"].items())[:FEE_ROWS]):
        values[f"fee_province_{i}"], values[f"fee_{i}"] = province, fee
    values["status"] = listing["status"]
    values["photos"] = listing["photos"]
    values["payment_methods"] = listing["payment_methods"]
    return values


def _render(template_values: dict, errors: dict, *, listing: dict | None, organization, status: int = 200):
    offered = offered_methods(organization.id)
    return (
        render_template(
            "market/listing_form.html",
            values=template_values,
            errors=errors,
            listing=listing,
            lots=[] if listing else listings.lots_to_offer(current_user, organization.id),
            provinces=[(p.code, p.name) for p in list_provinces()],
            tier_rows=range(TIER_ROWS),
            fee_rows=range(FEE_ROWS),
            status_names=LISTING_STATUS_NAMES,
            payment_choices=[(m, PAYMENT_NAMES[m]) for m in offered],
            needs_bank_account="vietqr" not in offered,
        ),
        status,
    )


@bp.route("/my-listings/new", methods=["GET", "POST"])
@login_required
def listing_new():
    organization = organization_or_404()
    if request.method == "GET":
        return _render(
            {"pickup": "y", "batch_code": request.args.get("lot", ""), "payment_methods": ["cod"]},
            {},
            listing=None,
            organization=organization,
        )
    form = request.form
    values = _values_from_form(form)
    try:
        values["photos"] = _photos_from_form(form, request.files, organization)
        listings.create_listing(
            current_user, batch_code=form.get("batch_code", ""), publish=form.get("publish") == "y", **values
        )
    except (ValidationError, Conflict) as error:
        return _render(
            _kept(form, values),
            error.errors or {"_form": [error.detail]},
            listing=None,
            organization=organization,
            status=error.status,
        )
    flash(_("Listing saved."), "success")
    return redirect(url_for("market.my_listings"), code=303)


@bp.route("/my-listings/<listing_id>/edit", methods=["GET", "POST"])
@login_required
def listing_edit(listing_id):
    organization = organization_or_404()
    existing = listings.seller_listing(current_user, listing_id)
    described = describe_listings([existing], {existing.seller_id})[0]
    if request.method == "GET":
        return _render(_form_values(described), {}, listing=described, organization=organization)
    form = request.form
    values = _values_from_form(form)
    if form.get("status") in ("draft", "active", "paused") and form.get("status") != described["status"]:
        values["status"] = form["status"]
    try:
        values["photos"] = _photos_from_form(form, request.files, organization)
        listings.update_listing(current_user, listing_id, **values)
    except (ValidationError, Conflict) as error:
        return _render(
            _kept(form, values),
            error.errors or {"_form": [error.detail]},
            listing=described,
            organization=organization,
            status=error.status,
        )
    flash(_("Listing saved."), "success")
    return redirect(url_for("market.my_listings"), code=303)
