"""The marketplace as the department sees it: what sold, for how much, at what price per kg, and orders by state.

Sold means an order the buyer committed to and nobody undid: paid, accepted, shipped, delivered, completed or
partly refunded (cash-on-delivery orders count once accepted). Quantities are the order lines' grams; values the
lines' totals in VND before refunds and delivery fees. The period is the day the order was placed; the commune
is the seller's.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Numeric, case, cast, func, select

from core.accounts.models import Organization
from core.extensions import db
from market.models import Listing, Order, OrderLine, OrderStatus
from reports import names, periods
from reports.filters import Filters
from reports.tables import CODE, COUNT, KG, TEXT, VND, VND_PER_KG, Column, Table

SOLD = (
    OrderStatus.PAID,
    OrderStatus.ACCEPTED,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
    OrderStatus.PARTIALLY_REFUNDED,
)


def _orders(query, filters: Filters):
    if filters.period:
        start, end = periods.moments(filters.period)
        query = query.where(Order.created_at >= start, Order.created_at < end)
    if filters.commune_code:
        sellers = select(Organization.id).where(Organization.commune_code == filters.commune_code)
        query = query.where(Order.seller_id.in_(sellers))
    return query


def _lines(query, filters: Filters):
    query = _orders(query, filters)
    if filters.commodity:
        query = query.where(Listing.commodity == filters.commodity)
    if filters.product:
        query = query.where(Listing.product == filters.product)
    return query


def sales(filters: Filters) -> Table:
    """Quantity (kg) and value (VND) sold, and the average price per kg, by commodity, product and grade."""
    grams, value = func.sum(OrderLine.quantity_g), func.sum(OrderLine.line_total)
    grade = func.coalesce(Listing.grade, "")
    query = (
        select(
            Listing.commodity,
            Listing.product,
            grade.label("grade"),
            (cast(grams, Numeric(18, 3)) / 1000).label("quantity_kg"),
            value.label("value_vnd"),
            case((grams > 0, cast(value, Numeric(18, 3)) * 1000 / grams), else_=None).label("avg_vnd_per_kg"),
            func.count(func.distinct(Order.id)).label("orders"),
        )
        .select_from(OrderLine)
        .join(Order, Order.id == OrderLine.order_id)
        .join(Listing, Listing.id == OrderLine.listing_id)
        .where(Order.status.in_(SOLD))
        .group_by(Listing.commodity, Listing.product, grade)
        .order_by(Listing.commodity, Listing.product, grade)
    )
    rows = [
        {
            **row,
            "commodity_name": names.commodity(row["commodity"]),
            "grade": row["grade"] or None,
            "product_name": names.product(row["product"]),
            "grade_name": names.grade(row["product"], row["grade"]),
            "avg_vnd_per_kg": round(row["avg_vnd_per_kg"]) if row["avg_vnd_per_kg"] is not None else None,
        }
        for row in db.session.execute(_lines(query, filters)).mappings()
    ]
    columns = [
        Column("commodity", _l("Commodity code"), CODE),
        Column("commodity_name", _l("Commodity"), TEXT),
        Column("product", _l("Product code"), CODE),
        Column("product_name", _l("Product"), TEXT),
        Column("grade", _l("Grade code"), CODE),
        Column("grade_name", _l("Grade"), TEXT),
        Column("quantity_kg", _l("Sold (kg)"), KG),
        Column("value_vnd", _l("Value (VND)"), VND),
        Column("avg_vnd_per_kg", _l("Average price (VND/kg)"), VND_PER_KG),
        Column("orders", _l("Orders"), COUNT),
    ]
    note = _l("Orders placed in the period and not cancelled, expired or refunded; values before refunds and delivery.")
    return Table("market_sales", _l("Marketplace sales by commodity and grade"), columns, rows, note=note)


def orders_by_status(filters: Filters) -> Table:
    """Orders placed in the period by their status now, with their value."""
    query = (
        select(Order.status, func.count(Order.id).label("orders"), func.sum(Order.total).label("value_vnd"))
        .group_by(Order.status)
        .order_by(Order.status)
    )
    if filters.commodity or filters.product:
        lines = select(OrderLine.order_id).join(Listing, Listing.id == OrderLine.listing_id)
        if filters.commodity:
            lines = lines.where(Listing.commodity == filters.commodity)
        if filters.product:
            lines = lines.where(Listing.product == filters.product)
        query = query.where(Order.id.in_(lines))
    rows = []
    for row in db.session.execute(_orders(query, filters)).mappings():
        status = getattr(row["status"], "value", row["status"])
        rows.append({**row, "status": status, "status_name": names.order_status(status)})
    columns = [
        Column("status", _l("Status code"), CODE),
        Column("status_name", _l("Status"), TEXT),
        Column("orders", _l("Orders"), COUNT),
        Column("value_vnd", _l("Value (VND)"), VND),
    ]
    note = _l("Orders placed in the period, by the status they are in now; values include delivery.")
    return Table("market_orders", _l("Orders by status"), columns, rows, note=note)
