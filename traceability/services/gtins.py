"""GTINs and GS1 lot numbers on new lots.

A GTIN belongs to the first organization that puts it on a lot (a harvest or a
transformation output that names it): from then on only that organization may
name it, so nobody can register lots under another's product number and have the
Digital Link resolver send that brand's QR codes to their page. Lots that inherit
a GTIN from their parent (split parts, merged lots, sold parts) are not "naming" it.

A lot number is used once per GTIN: ``/01/<gtin>/10/<lot>`` names a single lot.
These checks run before anything is written, so the answer is a field error;
two requests racing for the same number still end in a clean 409, not a 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.errors import Conflict, ValidationError
from core.extensions import db
from traceability.messages import GTIN_TAKEN, GTIN_TAKEN_DETAIL, LOT_NUMBER_USED_DETAIL, LOT_TAKEN, LOT_TWICE
from traceability.models import Batch, GtinRegistration

# How the databases name the unique constraints, to tell these clashes from any other.
_LOT_CONSTRAINT = ("uq_batches_gtin_lot_number", "batches.gtin, batches.lot_number")
_GTIN_CONSTRAINT = ("uq_gtin_registrations_gtin", "gtin_registrations.gtin")


def owner(gtin: str) -> int | None:
    """The organization the GTIN belongs to, or None while nobody has used it."""
    return db.session.scalar(select(GtinRegistration.organization_id).where(GtinRegistration.gtin == gtin))


def check_gtin(gtin: str, organization_id: int) -> None:
    """Refuse (field ``gtin``) a GTIN that belongs to another organization."""
    found = owner(gtin)
    if found is not None and found != organization_id:
        raise ValidationError(GTIN_TAKEN_DETAIL, errors={"gtin": [GTIN_TAKEN]})


def check_lot_number(gtin: str, lot_number: str) -> None:
    """Refuse (field ``lot_number``) a lot number that a lot of the same GTIN already has."""
    if (
        db.session.scalar(select(Batch.id).where(Batch.gtin == gtin, Batch.lot_number == lot_number).limit(1))
        is not None
    ):
        raise ValidationError(LOT_NUMBER_USED_DETAIL, errors={"lot_number": [LOT_TAKEN]})


def check_new_lots(lots: list[tuple[str, str | None, str | None]], errors) -> None:
    """Lot numbers of several new lots ``(field prefix, gtin, lot number)``: free, and not given twice."""
    seen: set[tuple[str, str]] = set()
    for prefix, gtin, lot_number in lots:
        if not gtin or not lot_number:
            continue
        if (gtin, lot_number) in seen:
            errors.add(f"{prefix}lot_number", LOT_TWICE)
            continue
        seen.add((gtin, lot_number))
        errors.check(lambda gtin=gtin, lot_number=lot_number: check_lot_number(gtin, lot_number), prefix=prefix)


def register(gtin: str, organization_id: int, field: str = "gtin") -> None:
    """Make the GTIN the organization's on its first use (flushed, not committed); refuse another's."""
    if owner(gtin) is None:
        try:
            with db.session.begin_nested():
                db.session.add(GtinRegistration(gtin=gtin, organization_id=organization_id))
        except IntegrityError as error:
            if not _violates(error, _GTIN_CONSTRAINT):
                raise
            # Another request registered it first: the answer depends on whose it now is.
    if owner(gtin) != organization_id:
        raise ValidationError(GTIN_TAKEN_DETAIL, errors={field: [GTIN_TAKEN]})


@contextmanager
def unique_lot_number(field: str = "lot_number") -> Iterator[None]:
    """Turn a (gtin, lot number) clash that slipped past the checks (a concurrent request) into a 409."""
    try:
        yield
    except IntegrityError as error:
        if not _violates(error, _LOT_CONSTRAINT):
            raise
        db.session.rollback()
        raise Conflict(LOT_TAKEN, errors={field: [LOT_TAKEN]}) from None


def _violates(error: IntegrityError, names: tuple[str, ...]) -> bool:
    text = str(error.orig)
    return any(name in text for name in names)
