"""Who may use which address: every route of the app, with every role, against one farmer's household.

The table below is written by hand from the rules (README, traceability/services/access.py's docstring), not read
from the code's own checks, so that a hole makes it fail; a route without a row fails too. Each row names the
roles that get through (2xx/3xx, or a 400/409/422 about the content once past the check); every other role must be
refused with 401, 403 or 404 (a page that sends the browser back with an error message counts as a refusal), and
a refusal never carries the household's private text. Writes get a fresh world each, so one role's success cannot
change what the next one meets; reads share one.

Roles: ``anonymous``, ``farmer`` (owner of the household that holds everything), ``coop`` (manager of the co-op the
household belongs to: acts for it), ``processor`` (receives the lot in transit), ``buyer`` (bought from the
household's listing), ``officer`` (department), ``admin`` (administrator, no organization), ``other`` (owner of
another household).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from PIL import Image

from core.extensions import db
from tests.builders import PASSWORD
from tests.integration.security_world import (
    ROLES,
    SECRET_ACCOUNT,
    SECRET_PLOT,
    SECRET_STEP_NOTE,
    SECRET_TAX_CODE,
    SecurityWorld,
)

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
WITH_ORGANIZATION = SIGNED_IN - {"admin"}  # pages of "my organization": the administrator has none
NOBODY: frozenset[str] = frozenset()
FARM = frozenset({"farmer", "coop"})  # the household and the co-op manager who acts for it
OFFICERS = frozenset({"officer", "admin"})
FARM_AND_OFFICERS = FARM | OFFICERS
ORDER_PARTIES = FARM | {"buyer"}
SELLERS = WITH_ORGANIZATION - {"buyer", "officer"}  # organizations that sell and are owed payouts
SECRETS = (SECRET_PLOT, SECRET_TAX_CODE, SECRET_ACCOUNT, SECRET_STEP_NOTE)
YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class Row:
    path: str  # filled from the world: {lot}, {plot}, {order}...
    allowed: frozenset[str]
    json: dict | None = None  # API body
    form: dict | None = None  # page form
    public: bool = False  # what everyone may read: no check for private text
    reaches: bool = False  # the allowed only get past the check (their request is not a complete one)
    fields: tuple[str, ...] = ()  # a 422 naming one of these refuses too: "no plot of yours" in the body
    why: str = ""


R = Row
# fmt: off
MATRIX: dict[tuple[str, str], Row] = {
    # --- public: anyone -------------------------------------------------------------------------------------------
    ("GET", "/"): R("/", EVERYONE, public=True),
    ("GET", "/.well-known/gs1resolver"): R("/.well-known/gs1resolver", EVERYONE, public=True),
    ("GET", "/01/<path:rest>"): R("/01/08930000000017/10/NO-SUCH", EVERYONE, public=True, reaches=True,
                                  why="a malformed or unknown link: resolving is tested in test_resolver"),
    ("GET", "/api/docs"): R("/api/docs", EVERYONE, public=True),
    ("GET", "/api/docs/assets/<path:filename>"): R("/api/docs/assets/swagger-ui.css", EVERYONE, public=True),
    ("GET", "/api/openapi.json"): R("/api/openapi.json", EVERYONE, public=True),
    ("GET", "/api/v1/geo/provinces"): R("/api/v1/geo/provinces", EVERYONE, public=True),
    ("GET", "/api/v1/geo/communes/<code>"): R("/api/v1/geo/communes/25270", EVERYONE, public=True),
    ("GET", "/api/v1/geo/provinces/<code>/communes"): R("/api/v1/geo/provinces/75/communes", EVERYONE, public=True),
    ("POST", "/api/v1/geo/address-matches"): R("/api/v1/geo/address-matches", EVERYONE, public=True,
                                               json={"address": "xã Lộc Ninh, huyện Lộc Ninh, tỉnh Bình Phước"}),
    ("GET", "/api/v1/imports/templates/<any(plots, harvests):kind>.<any(csv, xlsx):fmt>"):
        R("/api/v1/imports/templates/plots.csv", EVERYONE, public=True),
    ("GET", "/api/v1/listings"): R("/api/v1/listings", EVERYONE, public=True),
    ("GET", "/api/v1/listings/<listing_id>"): R("/api/v1/listings/{listing}", EVERYONE, public=True),
    ("GET", "/api/v1/open-data/supply"): R("/api/v1/open-data/supply", EVERYONE, public=True),
    ("GET", "/api/v1/open-data/supply.csv"): R("/api/v1/open-data/supply.csv", EVERYONE, public=True),
    ("POST", "/api/v1/accounts"): R("/api/v1/accounts", EVERYONE, public=True, json={
        "name": "Người mới", "password": PASSWORD, "phone": "0987111222",
        "organization": {"name": "Hộ mới", "kind": "household", "commune_code": "25270"}}),
    ("POST", "/api/v1/auth/tokens"): R("/api/v1/auth/tokens", EVERYONE, public=True,
                                       json={"login": "{farmer_login}", "password": PASSWORD},
                                       why="the credentials decide, not the caller"),
    ("GET", "/files/<public_id>"): R("/files/unknown", NOBODY, public=True, why="photos are public by their code"),
    ("GET", "/files/<public_id>/thumb"): R("/files/unknown/thumb", NOBODY, public=True),
    ("GET", "/geo/address-check"): R("/geo/address-check", EVERYONE, public=True),
    ("GET", "/healthz"): R("/healthz", EVERYONE, public=True),
    ("GET", "/readyz"): R("/readyz", EVERYONE, public=True),
    ("GET", "/illustrations/<any(cashew, pepper, rubber):commodity>.png"):
        R("/illustrations/cashew.png", EVERYONE, public=True),
    ("POST", "/lang/<code>"): R("/lang/en", EVERYONE, public=True, form={}),
    ("GET", "/lang/<code>"): R("/lang/en", EVERYONE, public=True),
    ("GET", "/manifest.webmanifest"): R("/manifest.webmanifest", EVERYONE, public=True),
    ("GET", "/market"): R("/market", EVERYONE, public=True),
    ("GET", "/market/listings/<listing_id>"): R("/market/listings/{listing}", EVERYONE, public=True),
    ("GET", "/market/cart"): R("/market/cart", EVERYONE, public=True),
    ("POST", "/market/cart"): R("/market/cart", EVERYONE, public=True, form={}),
    ("POST", "/market/cart/add"): R("/market/cart/add", EVERYONE, public=True,
                                    form={"listing_id": "{listing}", "quantity": "5"}),
    ("GET", "/offline"): R("/offline", EVERYONE, public=True),
    ("GET", "/open-data"): R("/open-data", EVERYONE, public=True),
    ("GET", "/sign-in"): R("/sign-in", EVERYONE, public=True),
    ("POST", "/sign-in"): R("/sign-in", EVERYONE, public=True, form={"login": "{farmer_login}", "password": PASSWORD}),
    ("POST", "/sign-out"): R("/sign-out", EVERYONE, public=True, form={}),
    ("GET", "/sign-up"): R("/sign-up", EVERYONE, public=True),
    ("POST", "/sign-up"): R("/sign-up", EVERYONE, public=True, form={}, reaches=True),
    ("GET", "/static/<path:filename>"): R("/static/site.css", EVERYONE, public=True),
    ("GET", "/sw.js"): R("/sw.js", EVERYONE, public=True),
    ("GET", "/t/<code>"): R("/t/{lot}", EVERYONE, public=True),
    ("GET", "/t/<code>/lineage"): R("/t/{lot}/lineage", EVERYONE, public=True),
    ("GET", "/t/<code>/qr.<any(png, svg):fmt>"): R("/t/{lot}/qr.svg", EVERYONE, public=True),
    ("GET", "/trace"): R("/trace?code={lot}", EVERYONE, public=True),
    ("POST", "/webhooks/bank"): R("/webhooks/bank", NOBODY, json={}, why="off without BANK_WEBHOOK_SECRET"),
    ("POST", "/webhooks/stripe"): R("/webhooks/stripe", NOBODY, json={},
                                    why="off without Stripe keys; signatures tested in test_card_payments"),
    # --- oneself ----------------------------------------------------------------------------------------------------
    ("GET", "/api/v1/me"): R("/api/v1/me", SIGNED_IN),
    ("GET", "/api/v1/auth/tokens"): R("/api/v1/auth/tokens", SIGNED_IN),
    ("DELETE", "/api/v1/auth/tokens/<int:token_id>"): R("/api/v1/auth/tokens/{farmer_token_id}", {"farmer"}),
    ("GET", "/offline/session"): R("/offline/session", SIGNED_IN),
    ("GET", "/org"): R("/org", SIGNED_IN),
    ("POST", "/org"): R("/org", SIGNED_IN, form={}, reaches=True, why="one's own organization, if any"),
    ("POST", "/org/switch"): R("/org/switch", FARM, form={"organization_id": "{farmer_org}"},
                               why="to an organization one acts for"),
    ("GET", "/org/members"): R("/org/members", WITH_ORGANIZATION),
    ("POST", "/org/members"): R("/org/members", WITH_ORGANIZATION, form={}, reaches=True),
    ("POST", "/org/members/<int:user_id>/remove"): R("/org/members/{worker_user}/remove", {"farmer"}, form={}),
    ("GET", "/org/households"): R("/org/households", {"coop"}),
    ("POST", "/org/households/add"): R("/org/households/add", {"coop"}, form={}, reaches=True),
    ("POST", "/org/households/new"): R("/org/households/new", {"coop"}, form={}, reaches=True),
    ("GET", "/start"): R("/start", WITH_ORGANIZATION),
    # --- the household's own records -------------------------------------------------------------------------------
    ("GET", "/api/v1/organizations/<int:organization_id>"): R("/api/v1/organizations/{farmer_org}",
                                                              FARM_AND_OFFICERS),
    ("PATCH", "/api/v1/organizations/<int:organization_id>"): R("/api/v1/organizations/{farmer_org}", FARM,
                                                                json={"name": "Hộ đổi tên"}),
    ("GET", "/api/v1/organizations/<int:organization_id>/members"): R("/api/v1/organizations/{farmer_org}/members",
                                                                      FARM_AND_OFFICERS),
    ("POST", "/api/v1/organizations/<int:organization_id>/members"): R(
        "/api/v1/organizations/{farmer_org}/members", FARM, json={"login": "{other_login}"},
        why="the co-op's manager acts for the household, its people included"),
    ("DELETE", "/api/v1/organizations/<int:organization_id>/members/<int:user_id>"): R(
        "/api/v1/organizations/{farmer_org}/members/{worker_user}", {"farmer"}),
    ("GET", "/api/v1/organizations/<int:organization_id>/households"): R(
        "/api/v1/organizations/{coop_org}/households", {"coop"} | OFFICERS),
    ("POST", "/api/v1/organizations/<int:organization_id>/households"): R(
        "/api/v1/organizations/{coop_org}/households", {"coop"}, json={
            "name": "Hộ mới", "commune_code": "25270",
            "owner": {"phone": "0911000777", "name": "Út", "password": PASSWORD}}),
    ("GET", "/api/v1/organizations/<int:organization_id>/bank-account"): R(
        "/api/v1/organizations/{farmer_org}/bank-account", FARM),
    ("PUT", "/api/v1/organizations/<int:organization_id>/bank-account"): R(
        "/api/v1/organizations/{farmer_org}/bank-account", FARM,
        json={"bank_bin": "970436", "account_number": "0011001234567", "account_name": "NGUYEN THI HA"}),
    ("GET", "/api/v1/plots"): R("/api/v1/plots", SIGNED_IN),
    ("POST", "/api/v1/plots"): R("/api/v1/plots", FARM, json={
        "organization_id": "{farmer_org}", "name": "Vườn mới", "commune_code": "25270", "area_ha": "1.0",
        "crops": ["cashew"]}),
    ("GET", "/api/v1/plots/<int:plot_id>"): R("/api/v1/plots/{plot}", FARM_AND_OFFICERS),
    ("PATCH", "/api/v1/plots/<int:plot_id>"): R("/api/v1/plots/{plot}", FARM, json={"name": "Vườn đổi tên"}),
    ("GET", "/api/v1/certificates"): R("/api/v1/certificates", SIGNED_IN),
    ("POST", "/api/v1/certificates"): R("/api/v1/certificates", FARM, json={
        "organization_id": "{farmer_org}", "type": "vietgap", "number": "VG-NEW-1", "issuer": "QUACERT",
        "valid_from": "2025-01-01", "valid_to": "2027-12-31", "plot_ids": ["{plot}"]}),
    ("GET", "/api/v1/certificates/<int:certificate_id>"): R("/api/v1/certificates/{certificate}", FARM_AND_OFFICERS),
    ("GET", "/api/v1/batches"): R("/api/v1/batches", SIGNED_IN),
    ("POST", "/api/v1/batches"): R("/api/v1/batches", FARM, fields=("plot_ids",), json={
        "product": "raw_cashew_nuts", "quantity": "10", "plot_ids": ["{plot}"], "harvest_date": YESTERDAY}),
    ("GET", "/api/v1/batches/<code>"): R("/api/v1/batches/{lot}", FARM_AND_OFFICERS),
    ("GET", "/api/v1/batches/<code>/due-diligence"): R("/api/v1/batches/{lot}/due-diligence", FARM_AND_OFFICERS,
                                                       reaches=True, why="cashew: 409 eudr_not_applicable"),
    ("GET", "/api/v1/batches/<code>/due-diligence.pdf"): R("/api/v1/batches/{lot}/due-diligence.pdf",
                                                           FARM_AND_OFFICERS, reaches=True),
    ("GET", "/api/v1/batches/<code>/eudr.geojson"): R("/api/v1/batches/{lot}/eudr.geojson", FARM_AND_OFFICERS,
                                                       reaches=True),
    ("GET", "/api/v1/batches/<code>/epcis"): R("/api/v1/batches/{lot}/epcis", FARM_AND_OFFICERS),
    ("GET", "/api/v1/batches/<code>/eudr"): R("/api/v1/batches/{lot}/eudr", FARM_AND_OFFICERS),
    ("GET", "/api/v1/batches/<code>/events"): R("/api/v1/batches/{lot}/events", FARM_AND_OFFICERS),
    ("POST", "/api/v1/batches/<code>/events"): R("/api/v1/batches/{lot}/events", FARM, json={"step": "sun_drying"}),
    ("GET", "/api/v1/batches/<code>/lineage"): R("/api/v1/batches/{lot}/lineage", FARM_AND_OFFICERS),
    ("GET", "/api/v1/batches/<code>/verification"): R("/api/v1/batches/{lot}/verification", FARM_AND_OFFICERS),
    ("GET", "/api/v1/batches/<code>/scans"): R("/api/v1/batches/{lot}/scans", FARM,
                                               why="view counts are the producer's"),
    ("POST", "/api/v1/batches/<code>/label-sheets"): R("/api/v1/batches/{lot}/label-sheets", FARM,
                                                       json={"format": "a4", "count": 1, "net_weight_kg": "50"}),
    ("POST", "/api/v1/batches/<code>/split"): R("/api/v1/batches/{lot}/split", FARM,
                                                json={"parts": [{"quantity": "10"}]}),
    ("POST", "/api/v1/merges"): R("/api/v1/merges", FARM, json={"inputs": ["{lot2}", "{lot3}"]}),
    ("POST", "/api/v1/transformations"): R("/api/v1/transformations", FARM, json={
        "inputs": [{"code": "{lot2}"}], "outputs": [{"product": "cashew_kernels", "quantity": "70", "grade": "w320"}],
        "step": "shelling"}),
    ("POST", "/api/v1/shipments"): R("/api/v1/shipments", FARM,
                                     json={"batch_code": "{lot2}", "to_organization_id": "{processor_org}"}),
    ("GET", "/api/v1/shipments/<int:shipment_id>"): R("/api/v1/shipments/{shipment}",
                                                      FARM_AND_OFFICERS | {"processor"}),
    ("POST", "/api/v1/shipments/<int:shipment_id>/receive"): R("/api/v1/shipments/{shipment}/receive",
                                                               {"processor"}, json={}),
    ("POST", "/api/v1/events/<int:event_id>/corrections"): R("/api/v1/events/{event}/corrections", FARM,
                                                             json={"reason": "did_not_occur"}),
    ("GET", "/api/v1/epcis/events"): R("/api/v1/epcis/events", SIGNED_IN, why="each sees its own events"),
    ("GET", "/api/v1/epcis/events/<event_id>"): R("/api/v1/epcis/events/{event_uuid}", FARM_AND_OFFICERS),
    ("POST", "/api/v1/epcis/capture"): R("/api/v1/epcis/capture", WITH_ORGANIZATION, json={}, reaches=True,
                                         why="captures for the caller's own organization"),
    ("GET", "/api/v1/epcis/capture/<capture_id>"): R("/api/v1/epcis/capture/unknown", NOBODY,
                                                     why="another's job is as unknown as a made-up one"),
    ("POST", "/api/v1/imports"): R("/api/v1/imports", FARM, fields=("organization_id",), form={
        "kind": "plots", "organization_id": "{farmer_org}", "file": ("csv", "ten_lo,xa,dien_tich_ha\n")},
        reaches=True),
    ("GET", "/api/v1/label-sheets/<public_id>"): R("/api/v1/label-sheets/unknown", NOBODY,
                                                   why="another's sheet: see test_labels"),
    ("GET", "/api/v1/label-sheets/<public_id>/download"): R("/api/v1/label-sheets/unknown/download", NOBODY),
    ("POST", "/api/v1/photos"): R("/api/v1/photos", FARM, form={"organization_id": "{farmer_org}",
                                                                 "file": ("jpeg", "")}),
    # --- the marketplace --------------------------------------------------------------------------------------------
    ("POST", "/api/v1/listings"): R("/api/v1/listings", FARM, json={
        "batch_code": "{lot2}", "title": "Điều", "price_per_kg": 30000, "quantity": "100",
        "payment_methods": ["cod"]}),
    ("PATCH", "/api/v1/listings/<listing_id>"): R("/api/v1/listings/{listing}", FARM, json={"title": "Điều mới"}),
    ("GET", "/api/v1/orders"): R("/api/v1/orders", SIGNED_IN, why="each sees the orders it bought or sold"),
    ("POST", "/api/v1/orders"): R("/api/v1/orders", WITH_ORGANIZATION - {"farmer"},
                                  fields=("items", "buyer_organization_id"), json={
        "items": [{"listing_id": "{listing}", "quantity": "5"}], "payment_method": "cod",
        "delivery": {"method": "pickup"}}, why="anyone with an organization buys, never from itself"),
    ("GET", "/api/v1/orders/<order_id>"): R("/api/v1/orders/{order}", ORDER_PARTIES),
    ("GET", "/api/v1/orders/<order_id>/vietqr.png"): R("/api/v1/orders/{order}/vietqr.png", ORDER_PARTIES),
    ("POST", "/api/v1/orders/<order_id>/payments/card"): R("/api/v1/orders/{order}/payments/card", {"buyer"},
                                                           json={"payment_method": "pm_card_visa"}, reaches=True),
    ("POST", "/api/v1/orders/<order_id>/payments/confirm"): R("/api/v1/orders/{order}/payments/confirm", FARM,
                                                              json={"reference": "FT123"},
                                                              why="the seller confirms a transfer it received"),
    ("POST", "/api/v1/orders/<order_id>/refunds"): R("/api/v1/orders/{order}/refunds", FARM, json={},
                                                     reaches=True, why="only the seller refunds"),
    ("POST", "/api/v1/orders/<order_id>/transitions"): R("/api/v1/orders/{order}/transitions", ORDER_PARTIES,
                                                         json={"to": "cancelled", "reason": "x"}),
    ("GET", "/api/v1/payouts"): R("/api/v1/payouts", {"admin"}),
    ("POST", "/api/v1/payouts"): R("/api/v1/payouts", {"admin"}, json={
        "organization_id": "{farmer_org}", "amount": 1000, "bank_reference": "FT-1"}, reaches=True),
    ("GET", "/api/v1/payouts/balance"): R("/api/v1/payouts/balance", SELLERS, why="one's own balance"),
    ("GET", "/api/v1/payouts/entries"): R("/api/v1/payouts/entries", SELLERS),
    # --- the department ---------------------------------------------------------------------------------------------
    ("POST", "/api/v1/batches/<code>/recalls"): R("/api/v1/batches/{lot}/recalls", FARM_AND_OFFICERS,
                                                  json={"reason": "Nhiễm nấm mốc"},
                                                  why="the holder recalls its own lot, the department any"),
    ("POST", "/api/v1/certificates/<int:certificate_id>/verification"): R(
        "/api/v1/certificates/{certificate}/verification", OFFICERS, json={"state": "verified"}),
    ("POST", "/api/v1/organizations/<int:organization_id>/verification"): R(
        "/api/v1/organizations/{farmer_org}/verification", OFFICERS, json={}),
    ("DELETE", "/api/v1/organizations/<int:organization_id>/verification"): R(
        "/api/v1/organizations/{farmer_org}/verification", OFFICERS),
    ("POST", "/api/v1/organizations/<int:organization_id>/rejection"): R(
        "/api/v1/organizations/{farmer_org}/rejection", OFFICERS, json={"reason": "Thiếu giấy tờ"}),
    ("POST", "/api/v1/admin/users/<int:user_id>/grants"): R("/api/v1/admin/users/{worker_user}/grants", {"admin"},
                                                            json={"organization_id": "{other_org}"}),
    ("GET", "/api/v1/reports/eudr"): R("/api/v1/reports/eudr", OFFICERS),
    ("GET", "/api/v1/reports/market"): R("/api/v1/reports/market", OFFICERS),
    ("GET", "/api/v1/reports/supply"): R("/api/v1/reports/supply", OFFICERS),
    # --- pages: the household's records -----------------------------------------------------------------------------
    ("GET", "/batches"): R("/batches", WITH_ORGANIZATION),
    ("GET", "/batches/<code>"): R("/batches/{lot}", FARM_AND_OFFICERS),
    ("GET", "/batches/<code>/events/<int:event_id>/correction"): R("/batches/{lot}/events/{event}/correction", FARM),
    ("POST", "/batches/<code>/events/<int:event_id>/correction"): R("/batches/{lot}/events/{event}/correction",
                                                                    FARM, form={}, reaches=True),
    ("GET", "/batches/<code>/labels"): R("/batches/{lot}/labels", FARM),
    ("POST", "/batches/<code>/labels"): R("/batches/{lot}/labels", FARM, form={}, reaches=True),
    ("GET", "/batches/<code>/scans"): R("/batches/{lot}/scans", FARM),
    ("GET", "/batches/<code>/ship"): R("/batches/{lot}/ship", FARM),
    ("POST", "/batches/<code>/ship"): R("/batches/{lot}/ship", FARM, form={}, reaches=True),
    ("GET", "/batches/<code>/split"): R("/batches/{lot}/split", FARM, why="officers read lots, never split them"),
    ("POST", "/batches/<code>/split"): R("/batches/{lot}/split", FARM, form={}, reaches=True),
    ("GET", "/batches/<code>/steps/new"): R("/batches/{lot}/steps/new", FARM),
    ("POST", "/batches/<code>/steps/new"): R("/batches/{lot}/steps/new", FARM, form={}, reaches=True),
    ("GET", "/batches/merge"): R("/batches/merge", WITH_ORGANIZATION),
    ("POST", "/batches/merge"): R("/batches/merge", WITH_ORGANIZATION, form={}, reaches=True),
    ("GET", "/batches/new"): R("/batches/new", WITH_ORGANIZATION),
    ("POST", "/batches/new"): R("/batches/new", WITH_ORGANIZATION, form={}, reaches=True),
    ("GET", "/batches/transform"): R("/batches/transform", WITH_ORGANIZATION),
    ("POST", "/batches/transform"): R("/batches/transform", WITH_ORGANIZATION, form={}, reaches=True),
    ("GET", "/certificates/new"): R("/certificates/new", WITH_ORGANIZATION),
    ("POST", "/certificates/new"): R("/certificates/new", WITH_ORGANIZATION, form={}, reaches=True),
    ("GET", "/imports"): R("/imports", WITH_ORGANIZATION),
    ("POST", "/imports"): R("/imports", WITH_ORGANIZATION, form={}, reaches=True),
    ("GET", "/label-sheets/<public_id>"): R("/label-sheets/unknown", NOBODY),
    ("GET", "/label-sheets/<public_id>/download"): R("/label-sheets/unknown/download", NOBODY),
    ("GET", "/plots"): R("/plots", WITH_ORGANIZATION),
    ("GET", "/plots/<int:plot_id>"): R("/plots/{plot}", FARM_AND_OFFICERS),
    ("GET", "/plots/<int:plot_id>/edit"): R("/plots/{plot}/edit", FARM, why="officers read plots, never edit them"),
    ("POST", "/plots/<int:plot_id>/edit"): R("/plots/{plot}/edit", FARM, form={}, reaches=True),
    ("GET", "/plots/new"): R("/plots/new", WITH_ORGANIZATION),
    ("POST", "/plots/new"): R("/plots/new", WITH_ORGANIZATION, form={}, reaches=True),
    ("GET", "/shipments"): R("/shipments", WITH_ORGANIZATION),
    ("POST", "/shipments/<int:shipment_id>/receive"): R("/shipments/{shipment}/receive", {"processor"}, form={}),
    # --- pages: the marketplace -------------------------------------------------------------------------------------
    ("GET", "/market/bank-account"): R("/market/bank-account", WITH_ORGANIZATION),
    ("POST", "/market/bank-account"): R("/market/bank-account", WITH_ORGANIZATION, form={}, reaches=True),
    ("GET", "/market/checkout"): R("/market/checkout", SIGNED_IN, reaches=True,
                                         why="an empty cart goes back to the cart"),
    ("POST", "/market/checkout"): R("/market/checkout", SIGNED_IN, form={}, reaches=True),
    ("GET", "/market/my-listings"): R("/market/my-listings", WITH_ORGANIZATION),
    ("GET", "/market/my-listings/<listing_id>/edit"): R("/market/my-listings/{listing}/edit", FARM),
    ("POST", "/market/my-listings/<listing_id>/edit"): R("/market/my-listings/{listing}/edit", FARM, form={},
                                                         reaches=True),
    ("GET", "/market/my-listings/new"): R("/market/my-listings/new", WITH_ORGANIZATION),
    ("POST", "/market/my-listings/new"): R("/market/my-listings/new", FARM, form={"batch_code": "{lot2}"},
                                           reaches=True, why="a lot of one's own"),
    ("GET", "/market/orders"): R("/market/orders", SIGNED_IN),
    ("GET", "/market/orders/<order_id>"): R("/market/orders/{order}", ORDER_PARTIES),
    ("GET", "/market/orders/<order_id>/pay"): R("/market/orders/{order}/pay", ORDER_PARTIES,
                                                why="the buyer pays; the seller is sent to the order"),
    ("POST", "/market/orders/<order_id>/pay/card"): R("/market/orders/{order}/pay/card", {"buyer"}, form={},
                                                      reaches=True),
    ("GET", "/market/orders/<order_id>/payment-status"): R("/market/orders/{order}/payment-status", ORDER_PARTIES),
    ("POST", "/market/orders/<order_id>/payments/confirm"): R("/market/orders/{order}/payments/confirm", FARM,
                                                              form={"reference": "FT123"}, reaches=True),
    ("POST", "/market/orders/<order_id>/refunds"): R("/market/orders/{order}/refunds", FARM, form={},
                                                     reaches=True),
    ("POST", "/market/orders/<order_id>/transitions"): R("/market/orders/{order}/transitions", ORDER_PARTIES,
                                                         form={"to": "cancelled", "reason": "x"}, reaches=True),
    ("GET", "/market/orders/<order_id>/vietqr.png"): R("/market/orders/{order}/vietqr.png", ORDER_PARTIES),
    ("GET", "/market/payouts"): R("/market/payouts", WITH_ORGANIZATION),
    ("GET", "/market/sales"): R("/market/sales", SIGNED_IN),
    ("GET", "/market/admin/payments"): R("/market/admin/payments", {"admin"}),
    ("POST", "/market/admin/payments/<int:flag_id>/resolve"): R("/market/admin/payments/1/resolve", NOBODY,
                                                                form={}, why="no flag: see test_card_payments"),
    ("POST", "/market/admin/payments/reconcile"): R("/market/admin/payments/reconcile", {"admin"}, form={},
                                                    reaches=True, why="no Stripe keys here"),
    ("GET", "/market/admin/payouts"): R("/market/admin/payouts", {"admin"}),
    ("POST", "/market/admin/payouts"): R("/market/admin/payouts", {"admin"}, form={}, reaches=True),
    # --- pages: the department --------------------------------------------------------------------------------------
    ("GET", "/department/audit-log"): R("/department/audit-log", OFFICERS),
    ("GET", "/department/certificates"): R("/department/certificates", OFFICERS),
    ("POST", "/department/certificates/<int:certificate_id>/verification"): R(
        "/department/certificates/{certificate}/verification", OFFICERS, form={"state": "verified"}),
    ("GET", "/department/organizations"): R("/department/organizations", OFFICERS),
    ("GET", "/department/organizations/<int:organization_id>"): R("/department/organizations/{farmer_org}",
                                                                  OFFICERS),
    ("POST", "/department/organizations/<int:organization_id>/verification"): R(
        "/department/organizations/{farmer_org}/verification", OFFICERS, form={"decision": "verify"},
        reaches=True),
    ("GET", "/department/recalls"): R("/department/recalls", OFFICERS),
    ("POST", "/department/recalls"): R("/department/recalls", OFFICERS, form={}, reaches=True),
    ("GET", "/department/reports"): R("/department/reports", OFFICERS),
    ("GET", "/department/reports/<section>"): R("/department/reports/supply", OFFICERS),
    ("GET", "/department/reports/download/<key>.<any(csv, xlsx):extension>"): R(
        "/department/reports/download/harvested_by_commune.csv", OFFICERS),
    ("POST", "/department/reports/refresh"): R("/department/reports/refresh", OFFICERS, form={}),
    ("GET", "/department/reports/summary.pdf"): R("/department/reports/summary.pdf", OFFICERS),
}
# fmt: on

REFUSED = {401, 403, 404}


def _routes(app) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}}


@pytest.fixture(scope="module")
def matrix_app(app, database_url, instance_path):
    """The app without CSRF checks: this matrix is about roles (CSRF has its own tests); the tables are ``app``'s."""
    from nongsan_app import create_app
    from tests.conftest import test_overrides

    built = create_app(test_overrides(database_url, instance_path, WTF_CSRF_ENABLED=False), environ={})
    yield built
    with built.app_context():
        db.session.remove()
        db.engine.dispose()


def test_every_route_has_a_row_in_the_matrix(app):
    routes = _routes(app)
    assert sorted(routes - MATRIX.keys()) == [], "a new route needs a row saying who may use it"
    assert sorted(MATRIX.keys() - routes) == [], "a row for a route that no longer exists"


def _fill(value, world: SecurityWorld):
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1].isidentifier():
            return getattr(world, value[1:-1])
        return value.format_map(vars(world))
    if isinstance(value, dict):
        return {key: _fill(inner, world) for key, inner in value.items()}
    if isinstance(value, list):
        return [_fill(inner, world) for inner in value]
    return value


def _form_value(value):
    if isinstance(value, tuple):  # a file: ("jpeg", "") is a small photo, ("csv", text) a sheet
        kind, text = value
        content = _jpeg() if kind == "jpeg" else text.encode()
        return (io.BytesIO(content), f"upload.{'jpg' if kind == 'jpeg' else kind}")
    return str(value)


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (180, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def _flashed_error(client) -> bool:
    with client.session_transaction() as session:
        return any(category == "error" for category, _message in session.get("_flashes", []))


def _outcome(world: SecurityWorld, method: str, row: Row, role: str) -> tuple[int, bool, str]:
    """(status, whether a page sent the browser back with an error, body text)."""
    path = _fill(row.path, world)
    if path.startswith("/api/"):
        client, headers = world.app.test_client(), world.auth(role)
    else:
        client, headers = world.signed_in(role), {}
    kwargs: dict = {}
    if row.json is not None:
        kwargs["json"] = _fill(row.json, world)
    elif row.form is not None:
        kwargs["data"] = {key: _form_value(value) for key, value in _fill(row.form, world).items()}
    response = client.open(path, method=method, headers=headers, **kwargs)
    body = response.get_data().decode("utf-8", "replace")
    response.close()
    # A page refuses a stranger by sending them to sign in, or a party by going back with the reason.
    bounced = (
        300 <= response.status_code < 400
        and not path.startswith("/api/")
        and (urlsplit(response.headers["Location"]).path == "/sign-in" or _flashed_error(client))
    )
    return response.status_code, bounced, body


def _check(world: SecurityWorld, method: str, rule: str) -> list[str]:
    row = MATRIX[(method, rule)]
    wrong = []
    succeeded = False
    # Refused roles first: a refusal must change nothing the allowed ones then meet.
    for role in sorted(ROLES, key=lambda role: role in row.allowed):
        status, bounced, body = _outcome(world, method, row, role)
        assert status < 500, f"{method} {rule} as {role}: {status}"
        refused = status in REFUSED or (bounced and not (row.reaches and role in row.allowed))
        if status == 422 and row.fields and role not in row.allowed:
            refused = bool(set(row.fields) & set(json.loads(body).get("errors", {})))
        if role in row.allowed:
            if refused:
                wrong.append(f"{method} {rule}: {role} was refused ({status})")
            succeeded = succeeded or (status < 400 and not bounced)
        elif not refused:
            wrong.append(f"{method} {rule}: {role} got {status}, expected a refusal")
        # A refusal shows nothing private; another household's farmer never reads it, even in its own lists.
        if (role not in row.allowed or role == "other") and not row.public:
            leaked = [secret for secret in SECRETS if secret in body]
            if leaked:
                wrong.append(f"{method} {rule}: {role} reads {leaked}")
    if row.allowed and not row.reaches and not succeeded:
        wrong.append(f"{method} {rule}: no allowed role succeeded (is the request in the matrix a real one?)")
    return wrong


READS = sorted(key for key in MATRIX if key[0] == "GET")
WRITES = sorted(key for key in MATRIX if key[0] != "GET")


def test_reads_are_refused_to_everyone_the_matrix_does_not_name(matrix_app):
    world = SecurityWorld(matrix_app)
    wrong = [problem for method, rule in READS for problem in _check(world, method, rule)]
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize(("method", "rule"), WRITES, ids=[f"{m} {r}" for m, r in WRITES])
def test_a_write_is_refused_to_everyone_the_matrix_does_not_name(matrix_app, method, rule):
    world = SecurityWorld(matrix_app)
    wrong = _check(world, method, rule)
    assert wrong == [], "\n".join(wrong)
