"""The payout ledger: what the platform owes each producer, written with the money movements that cause it.

``record_sale``, ``record_refund`` and ``reverse_refund`` write entries in the
caller's transaction (the order's move, a provider's webhook) and never commit:
an entry exists exactly when its cause does. ``record_payout`` is its own unit
of work. Entries are only ever added (``market.models.ledger``); a balance is the
SQL sum of their ``net``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from core import audit
from core.accounts.directory import organization_names
from core.accounts.models import Membership, Organization, OrganizationKind, User
from core.accounts.permissions import MANAGING_ROLES, require_act_for
from core.config import platform_fee_percent
from core.errors import NotFound, PermissionDenied, ValidationError
from core.extensions import db
from core.messages import N_
from market.ledger_shares import Part, platform_fee, refund_shares
from market.messages import (
    BANK_REFERENCE_REQUIRED,
    BANK_REFERENCE_TAKEN,
    NO_SELLER_ORGANIZATION,
    PAYOUT_ABOVE_BALANCE,
    PAYOUT_AMOUNT_POSITIVE,
    PAYOUT_INVALID,
    PAYOUT_NOTHING_OWED,
    PAYOUTS_ADMIN_ONLY,
    PRODUCER_UNKNOWN,
    TOO_LONG,
)
from market.models import Order, Refund
from market.models.ledger import EntryKind, LedgerEntry, Payout, SellerBankAccount
from market.payments import method_of

MAX_REFERENCE = 100
MAX_NOTE = 1000
REFUND_KINDS = (EntryKind.REFUND, EntryKind.REFUND_REVERSED)


def _entry(order: Order, kind: EntryKind, collected: bool, gross: int, fee: int, **fields) -> LedgerEntry:
    net = gross - fee if collected else -fee
    entry = LedgerEntry(
        seller_id=order.seller_id,
        kind=kind,
        order_id=order.id,
        collected_by_platform=collected,
        gross=gross,
        fee=fee,
        net=net,
        **fields,
    )
    db.session.add(entry)
    return entry


def record_sale(order: Order) -> list[LedgerEntry]:
    """The order just became paid: one sale entry per line, and one for its delivery fee, each less its fee."""
    if _order_entries(order.id):
        return []  # already recorded (an order is paid once; this keeps a replayed confirmation harmless)
    percent = platform_fee_percent(current_app.config["PLATFORM_FEE_PERCENT"])
    collected = method_of(order).collected_by_platform
    entries = [
        _entry(
            order,
            EntryKind.SALE,
            collected,
            line.line_total,
            platform_fee(line.line_total, percent),
            order_line_id=line.id,
            description=line.title,
        )
        for line in order.lines
    ]
    if order.delivery_fee:
        # The delivery fee pays the seller's carrier, passed on at cost: the platform takes its share of the
        # produce, not of the transport (and a fee on it would tax sellers far from their buyers).
        entries.append(_entry(order, EntryKind.SALE, collected, order.delivery_fee, 0))
    db.session.flush()
    return entries


def _order_entries(order_id: int) -> Sequence[LedgerEntry]:
    return db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.order_id == order_id).order_by(LedgerEntry.id)
    ).all()


def record_refund(order: Order, refund: Refund) -> list[LedgerEntry]:
    """A refund's share of each line and of the delivery, in proportion to what each has not given back yet, with
    the fee of it. An order never paid (no sale entries) has nothing to take back."""
    sales: dict[int | None, LedgerEntry] = {}
    refunded: dict[int | None, tuple[int, int]] = {}
    for entry in _order_entries(order.id):
        if entry.kind is EntryKind.SALE:
            sales[entry.order_line_id] = entry
        elif entry.kind in REFUND_KINDS:
            money, fee = refunded.get(entry.order_line_id, (0, 0))
            refunded[entry.order_line_id] = (money - entry.gross, fee - entry.fee)
    if not sales:
        return []
    keys = sorted(sales, key=lambda key: (key is None, key or 0))  # the lines in order, then the delivery
    parts = [Part(sales[k].gross, sales[k].fee, *refunded.get(k, (0, 0))) for k in keys]
    entries = []
    for key, (money, fee) in zip(keys, refund_shares(refund.amount, parts), strict=True):
        if money or fee:
            sale = sales[key]
            entries.append(
                _entry(
                    order,
                    EntryKind.REFUND,
                    sale.collected_by_platform,
                    -money,
                    -fee,
                    order_line_id=key,
                    refund_id=refund.id,
                    description=sale.description,
                )
            )
    db.session.flush()
    return entries


def reverse_refund(refund: Refund) -> list[LedgerEntry]:
    """The provider failed ``refund``: entries undoing exactly its entries (once, however often it is reported)."""
    own = db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.refund_id == refund.id).order_by(LedgerEntry.id)
    ).all()
    if any(entry.kind is EntryKind.REFUND_REVERSED for entry in own):
        return []
    reversed_entries = [
        LedgerEntry(
            seller_id=entry.seller_id,
            kind=EntryKind.REFUND_REVERSED,
            order_id=entry.order_id,
            order_line_id=entry.order_line_id,
            refund_id=refund.id,
            collected_by_platform=entry.collected_by_platform,
            gross=-entry.gross,
            fee=-entry.fee,
            net=-entry.net,
            description=entry.description,
        )
        for entry in own
        if entry.kind is EntryKind.REFUND
    ]
    db.session.add_all(reversed_entries)
    db.session.flush()
    return reversed_entries


def balance(seller_id: int) -> int:
    """What the platform owes the producer (negative: what the producer owes the platform), in đồng."""
    return db.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.net), 0)).where(LedgerEntry.seller_id == seller_id)
    )


@dataclass(frozen=True)
class Statement:
    """A producer's balance and how it came about: sales, less refunds, less what they collected themselves (cash,
    transfers to their own account), less the platform's fees, less what was paid out."""

    organization_id: int
    organization_name: str
    balance: int
    sales: int
    refunds: int
    collected_by_seller: int
    fees: int
    paid_out: int
    currency: str = "VND"


def seller_organization(user: User, organization_id: int | None = None) -> Organization:
    """The organization whose money ``user`` asks about: the one named (404/403 for others'), else their own first
    selling organization. Owners and managers see the money, not every member."""
    if organization_id is not None:
        return require_act_for(user, organization_id, MANAGING_ROLES)
    organization = db.session.scalar(
        select(Organization)
        .join(Membership, Membership.organization_id == Organization.id)
        .where(
            Membership.user_id == user.id,
            Membership.role.in_(MANAGING_ROLES),
            Organization.kind.not_in((OrganizationKind.BUYER, OrganizationKind.DEPARTMENT)),
        )
        .order_by(Organization.id)
        .limit(1)
    )
    if organization is None:
        raise NotFound(NO_SELLER_ORGANIZATION)
    return organization


def statement(user: User, organization_id: int | None = None) -> Statement:
    organization = seller_organization(user, organization_id)
    is_refund = LedgerEntry.kind.in_(REFUND_KINDS)
    row = db.session.execute(
        select(
            func.coalesce(func.sum(LedgerEntry.net), 0),
            func.coalesce(func.sum(case((LedgerEntry.kind == EntryKind.SALE, LedgerEntry.gross), else_=0)), 0),
            func.coalesce(func.sum(case((is_refund, -LedgerEntry.gross), else_=0)), 0),
            func.coalesce(func.sum(case((LedgerEntry.collected_by_platform, 0), else_=LedgerEntry.gross)), 0),
            func.coalesce(func.sum(LedgerEntry.fee), 0),
            func.coalesce(func.sum(case((LedgerEntry.kind == EntryKind.PAYOUT, -LedgerEntry.net), else_=0)), 0),
        ).where(LedgerEntry.seller_id == organization.id)
    ).one()
    return Statement(organization.id, organization.name, *(int(value) for value in row))


def entries(user: User, organization_id: int | None, *, offset: int, limit: int) -> tuple[list[dict], int]:
    """The producer's entries, newest first, each with its order's public id or its payout's bank reference."""
    organization = seller_organization(user, organization_id)
    mine = LedgerEntry.seller_id == organization.id
    total = db.session.scalar(select(func.count()).select_from(LedgerEntry).where(mine))
    rows = db.session.execute(
        select(LedgerEntry, Order.public_id, Payout.bank_reference)
        .outerjoin(Order, Order.id == LedgerEntry.order_id)
        .outerjoin(Payout, Payout.id == LedgerEntry.payout_id)
        .where(mine)
        .order_by(LedgerEntry.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [_described(entry, order_id, reference) for entry, order_id, reference in rows], total


def _described(entry: LedgerEntry, order_id: str | None, reference: str | None) -> dict:
    return {
        "id": entry.id,
        "kind": entry.kind.value,
        "order_id": order_id,
        "for_delivery": entry.order_id is not None and entry.order_line_id is None,
        "description": entry.description,
        "bank_reference": reference,
        "collected_by_platform": entry.collected_by_platform,
        "gross": entry.gross,
        "fee": entry.fee,
        "net": entry.net,
        "created_at": entry.created_at,
    }


def _require_admin(user: User) -> None:
    if not user.is_admin:
        raise PermissionDenied(PAYOUTS_ADMIN_ONLY)


def balances(admin: User, *, offset: int = 0, limit: int = 100) -> tuple[list[dict], int]:
    """Every producer with entries, those with money to settle first (most owed first), with their bank account."""
    _require_admin(admin)
    owed = func.sum(LedgerEntry.net)
    total = db.session.scalar(select(func.count(func.distinct(LedgerEntry.seller_id))))
    rows = db.session.execute(
        select(LedgerEntry.seller_id, owed)
        .group_by(LedgerEntry.seller_id)
        .order_by(case((owed == 0, 1), else_=0), owed.desc(), LedgerEntry.seller_id)
        .offset(offset)
        .limit(limit)
    ).all()
    ids = [seller_id for seller_id, _ in rows]
    names = organization_names(ids)
    accounts = {
        account.organization_id: account
        for account in db.session.scalars(select(SellerBankAccount).where(SellerBankAccount.organization_id.in_(ids)))
    }
    return [
        {
            "organization_id": seller_id,
            "organization_name": names.get(seller_id),
            "balance": int(amount),
            "currency": "VND",
            "bank_account": _account(accounts.get(seller_id)),
        }
        for seller_id, amount in rows
    ], total


def _account(account: SellerBankAccount | None) -> dict | None:
    if account is None:
        return None
    return {
        "bank_bin": account.bank_bin,
        "account_number": account.account_number,
        "account_name": account.account_name,
    }


PAYOUT_RECORDED = "payout.recorded"
AUDIT_ACTIONS = {PAYOUT_RECORDED: N_("Payout recorded")}


def _payout_problems(amount, bank_reference: str, note: str | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        errors["amount"] = [PAYOUT_AMOUNT_POSITIVE]
    if not bank_reference:
        errors["bank_reference"] = [BANK_REFERENCE_REQUIRED]
    elif len(bank_reference) > MAX_REFERENCE:
        errors["bank_reference"] = [TOO_LONG(count=MAX_REFERENCE)]
    if note and len(note) > MAX_NOTE:
        errors["note"] = [TOO_LONG(count=MAX_NOTE)]
    return errors


def _lock_seller(seller_id: int) -> Organization | None:
    """The producer's row, locked so that two payouts recorded at once cannot both spend the same balance."""
    statement_ = select(Organization).where(Organization.id == seller_id)
    if db.session.get_bind().dialect.name == "postgresql":
        statement_ = statement_.with_for_update()
    return db.session.scalar(statement_)


def record_payout(
    admin: User, seller_id: int, amount: int, bank_reference: str | None, note: str | None = None
) -> tuple[Payout, int]:
    """An administrator records a bank transfer paying the producer part or all of what is owed; commits.

    Returns the payout and the balance left.
    """
    _require_admin(admin)
    bank_reference, note = (bank_reference or "").strip(), (note or "").strip() or None
    errors = _payout_problems(amount, bank_reference, note)
    if errors:
        raise ValidationError(PAYOUT_INVALID, errors=errors)
    try:
        organization = _lock_seller(seller_id)
        if organization is None:
            raise NotFound(PRODUCER_UNKNOWN(organization=seller_id))
        if db.session.scalar(select(Payout.id).where(Payout.bank_reference == bank_reference)) is not None:
            raise _reference_taken(bank_reference)
        owed = balance(seller_id)
        if amount > owed:
            problem = PAYOUT_ABOVE_BALANCE if owed > 0 else PAYOUT_NOTHING_OWED
            raise ValidationError(problem(balance=owed), errors={"amount": [problem(balance=owed)]}, balance=owed)
        payout = Payout(
            seller_id=seller_id, amount=amount, bank_reference=bank_reference, note=note, recorded_by_id=admin.id
        )
        db.session.add(payout)
        db.session.flush()
        db.session.add(
            LedgerEntry(
                seller_id=seller_id,
                kind=EntryKind.PAYOUT,
                payout_id=payout.id,
                gross=0,
                fee=0,
                net=-amount,
                description=bank_reference,
            )
        )
        audit.record(
            admin,
            PAYOUT_RECORDED,
            payout,
            details={
                "seller_id": seller_id,
                "organization_name": organization.name,
                "amount": amount,
                "number": bank_reference,
            },
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise _reference_taken(bank_reference) from None  # recorded by someone else at the same moment
    except Exception:
        db.session.rollback()
        raise
    return payout, owed - amount


def _reference_taken(reference: str) -> ValidationError:
    taken = BANK_REFERENCE_TAKEN(reference=reference)
    return ValidationError(taken, errors={"bank_reference": [taken]})
