"""A believable province of data for the benchmarks, seeded and written in bulk.

``generate(scale, seed)`` writes, at ``scale=1``: 5,000 households (plus co-ops, processors, buyers and the
department, each with its owner), 12,000 plots over the communes of Đồng Nai (province 75, the former Bình
Phước's communes weighted up), three crop seasons of cashew, pepper and rubber harvests, process steps, shipments,
co-op merges (fan-in up to 50) and processor transforms, with some lots carried on through merges, splits and
regrading to lineages 8 levels deep: about 1,000,000 events. Then 20,000 marketplace orders, and the harvest
rollup refreshed by the app's own ``reports.rollup.refresh``.

Rows are written with SQLAlchemy Core ``insert(table)`` over lists of dicts, not through the services (which
would take hours), but they are the rows the services write: every event is hashed by ``ledger.content_hash``
over the same fields ``ledger.append_event`` hashes (an ``Event`` built as append_event builds it, the quantity
lines as (code, role, quantity, unit), ``prev_hashes`` naming the newest event of each batch it touches), lineage
edges and origin plots follow split, merge and transform as ``operations.common`` writes them, and each batch's
``quantity_remaining`` is its outputs minus its inputs. ``traceability.services.integrity.verify`` says ok.

``Province`` holds the primitives (harvest, step, ship, merge, split, transform) so that a benchmark can build
a lot of a chosen shape (``build_ancestry``) with the same rows.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, insert, select, text

from core.accounts.models import (
    CooperativeMember,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    User,
)
from core.extensions import db
from core.geo.units import registry
from market.models import Listing, ListingStatus, Order, OrderLine, OrderStatus, OrderStatusChange
from reports import periods, rollup
from traceability import catalog, identifiers
from traceability.models import (
    Batch,
    BatchLink,
    BatchPlot,
    BatchStatus,
    Certificate,
    CertificatePlot,
    CertificateType,
    Event,
    EventQuantity,
    EventType,
    Plot,
    QuantityRole,
    Shipment,
    ShipmentStatus,
    VerificationState,
)
from traceability.services import ledger

PROVINCE = "75"  # Đồng Nai since 2025 (it absorbed Bình Phước)
HOUSEHOLDS = 5_000
PLOTS = 12_000
ORDERS = 20_000
SEASONS = 3
MAX_FAN_IN = 50  # a co-op's collection-day lot pools up to 50 members' lots (operations.common.MAX_PARTS)
OFFSET = "+07:00"
HARVESTED = {"cashew": "raw_cashew_nuts", "pepper": "fresh_pepper", "rubber": "field_latex"}
# Harvest lots per plot and season, and the months they fall in (crop season October to September).
PICKINGS = {"cashew": (5, 8), "pepper": (3, 6), "rubber": (7, 11)}
MONTHS = {"cashew": (2, 3, 4, 5), "pepper": (1, 2, 3, 4), "rubber": (5, 6, 7, 8, 9, 10, 11, 12)}
CROP_SHARE = (("cashew", 0.5), ("pepper", 0.2), ("rubber", 0.3))
KG_PER_HA = {"cashew": (1100, 1600), "pepper": (2500, 3500), "rubber": (4000, 6000)}  # per season, as harvested
# The processor's transformation of a co-op's pooled lot: (step, output product, grades, yield band).
PROCESSING = {
    "cashew": ("shelling", "cashew_kernels", ("W240", "W320"), (Decimal("0.22"), Decimal("0.26"))),
    "pepper": ("sun_drying", "black_pepper", ("500GL", "550GL"), (Decimal("0.30"), Decimal("0.36"))),
    "rubber": ("crumbling", "svr", ("10", "20"), (Decimal("0.92"), Decimal("1.00"))),
}
# Carrying processed lots further, for the deep lineages: (step, output product, grade, yield band).
REFINING = {
    "cashew": ("grading", "cashew_kernels", "W240", (Decimal("0.90"), Decimal("0.98"))),
    "pepper": ("peeling", "white_pepper", "600GL", (Decimal("0.72"), Decimal("0.78"))),
}
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
GIVEN = ("Văn Hùng", "Thị Hà", "Văn Minh", "Thị Lan", "Văn Tuấn", "Thị Mai", "Văn Dũng", "Thị Hoa", "Văn Nam")


def _d(value: float | Decimal) -> Decimal:
    return ledger.quantize(Decimal(str(value)))


@dataclass
class Lot:
    """A batch as the generator holds it until its chunk is written: the row, its plots and its newest hash."""

    row: dict
    plots: set[int]
    last_hash: str | None = None

    @property
    def id(self) -> int:
        return self.row["id"]

    @property
    def code(self) -> str:
        return self.row["code"]


@dataclass
class Counts:
    events: int = 0
    batches: int = 0
    largest_fan_in: int = 0
    by_operation: Counter = field(default_factory=Counter)


class Province:
    """Rows as the services write them, buffered and written in bulk by ``flush``; ids given here."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.base_url = current_app.config["PUBLIC_BASE_URL"]
        self.codes: set[str] = set(db.session.scalars(select(Batch.code)))
        self.next_id = {
            model: (db.session.scalar(select(func.max(model.id))) or 0) + 1
            for model in (Batch, Event, EventQuantity, BatchPlot, BatchLink, Shipment)
        }
        self.rows: dict[type, list[dict]] = defaultdict(list)
        self.lots: list[Lot] = []
        self.counts = Counts()
        self.harvests: list[dict] = []  # what the hand counts of the report tests add up

    # --- ids, codes, times --------------------------------------------------------------------------------------

    def _id(self, model) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def _code(self) -> str:
        while True:
            code = "".join(
                self.rng.choice(identifiers.BATCH_CODE_ALPHABET) for _ in range(identifiers.BATCH_CODE_LENGTH)
            )
            if code not in self.codes:
                self.codes.add(code)
                return code

    def step_uri(self, word: str) -> str:
        return catalog.biz_step_uri(word, self.base_url)

    # --- the ledger ---------------------------------------------------------------------------------------------

    def _new_lot(self, at: datetime, plots: set[int], **values) -> Lot:
        row = {
            "id": self._id(Batch),
            "code": self._code(),
            "grade": None,
            "unit": "kg",
            "drc_percent": None,
            "status": BatchStatus.ACTIVE.value,
            "harvest_start": None,
            "harvest_end": None,
            "gtin": None,
            "lot_number": None,
            "unknown_origin": False,
            "note": None,
            "created_at": at,
            "quantity_remaining": Decimal(0),
            **values,
        }
        lot = Lot(row, set(plots))
        self.lots.append(lot)
        self.counts.batches += 1
        return lot

    def _append(self, at: datetime, lines: list[tuple[Lot, QuantityRole, Decimal]], **fields) -> int:
        """``ledger.append_event`` without the session: the same Event, the same hash, quantities moved."""
        lines = [(lot, role, ledger.quantize(quantity)) for lot, role, quantity in lines]
        touched = {lot.id: lot for lot, _, _ in lines}
        event = Event(
            event_uuid=f"urn:uuid:{_uuid(self.rng)}",
            event_time=at,
            event_time_zone_offset=OFFSET,
            record_time=at + timedelta(minutes=self.rng.randint(1, 90)),
            action=fields.pop("action", None),
            disposition=fields.pop("disposition", None),
            plot_id=fields.pop("plot_id", None),
            location_name=None,
            location_commune_code=fields.pop("location_commune_code", None),
            measurements=fields.pop("measurements", None) or [],
            photos=[],
            note=None,
            extra=fields.pop("extra", None) or {},
            anomaly_reason=None,
            **fields,
        )
        event.prev_hashes = {touched[i].code: touched[i].last_hash for i in sorted(touched)}
        event.content_hash = ledger.content_hash(
            event, [(lot.code, role.value, q, lot.row["unit"]) for lot, role, q in lines]
        )
        event_id = self._id(Event)
        self.rows[Event].append(
            {
                "id": event_id,
                **{
                    column: getattr(event, column)
                    for column in (
                        "event_uuid",
                        "type",
                        "action",
                        "operation",
                        "biz_step",
                        "disposition",
                        "event_time",
                        "event_time_zone_offset",
                        "record_time",
                        "plot_id",
                        "location_name",
                        "location_commune_code",
                        "organization_id",
                        "user_id",
                        "measurements",
                        "photos",
                        "note",
                        "extra",
                        "anomaly_reason",
                        "prev_hashes",
                        "content_hash",
                    )
                },
            }
        )
        for lot, role, quantity in lines:
            self.rows[EventQuantity].append(
                {
                    "id": self._id(EventQuantity),
                    "event_id": event_id,
                    "batch_id": lot.id,
                    "role": role.value,
                    "quantity": quantity,
                    "unit": lot.row["unit"],
                }
            )
            if role is QuantityRole.INPUT:
                lot.row["quantity_remaining"] -= quantity
            elif role is QuantityRole.OUTPUT:
                lot.row["quantity_remaining"] += quantity
        for lot in touched.values():
            lot.last_hash = event.content_hash
        self.counts.events += 1
        self.counts.by_operation[event.operation] += 1
        return event_id

    def _link(self, parents: list[tuple[Lot, Decimal]], children: list[Lot], event_id: int) -> None:
        for parent, taken in parents:
            for child in children:
                self.rows[BatchLink].append(
                    {
                        "id": self._id(BatchLink),
                        "parent_id": parent.id,
                        "child_id": child.id,
                        "event_id": event_id,
                        "quantity": ledger.quantize(taken),
                    }
                )

    @staticmethod
    def _consumed_if_empty(lot: Lot) -> None:
        if lot.row["quantity_remaining"] == 0:
            lot.row["status"] = BatchStatus.CONSUMED.value

    # --- operations, as the services record them ----------------------------------------------------------------

    def harvest(self, *, plots: list[dict], quantity: Decimal, day: date, user_id: int, drc: Decimal | None = None):
        """``batches.harvest``: an ObjectEvent ADD (commissioning) bringing the lot's quantity into being."""
        commodity = plots[0]["crops"][0]
        product = HARVESTED[commodity]
        holder = plots[0]["organization_id"]
        at = datetime.combine(day, time(self.rng.randint(6, 17), self.rng.randint(0, 59)), UTC) - timedelta(hours=7)
        lot = self._new_lot(
            at,
            {p["id"] for p in plots},
            commodity=commodity,
            product=product,
            initial_quantity=quantity,
            drc_percent=drc,
            custodian_id=holder,
            harvest_start=day,
            harvest_end=day,
            created_by_id=user_id,
        )
        plot_ids = sorted(p["id"] for p in plots)
        ilmd = {"harvest_start": day.isoformat(), "harvest_end": day.isoformat(), "plot_ids": plot_ids}
        if drc is not None:
            ilmd["drc_percent"] = catalog.decimal_text(drc)
        single = plots[0] if len(plots) == 1 else None
        self._append(
            at,
            [(lot, QuantityRole.OUTPUT, quantity)],
            type=EventType.OBJECT,
            action="ADD",
            operation="harvest",
            biz_step="commissioning",
            disposition="active",
            organization_id=holder,
            user_id=user_id,
            plot_id=single["id"] if single else None,
            location_commune_code=single["commune_code"] if single else None,
            extra={"ilmd": ilmd},
        )
        for plot in plots:
            share = {"commodity": commodity, "product": product, "commune_code": plot["commune_code"]}
            share["producer_id"] = plot["organization_id"]
            self.harvests.append({**share, "batch_id": lot.id, "plot_id": plot["id"], "day": day, "kg": quantity})
        return lot

    def step(self, lot: Lot, *, word: str, at: datetime, user_id: int, after: Decimal | None = None, measured=None):
        """``batches.record_step``: an ObjectEvent OBSERVE; a weight loss is an input taken out of the lot."""
        loss = lot.row["quantity_remaining"] - after if after is not None else Decimal(0)
        line = (lot, QuantityRole.INPUT, loss) if loss else (lot, QuantityRole.OBSERVED, lot.row["quantity_remaining"])
        self._append(
            at,
            [line],
            type=EventType.OBJECT,
            action="OBSERVE",
            operation="process",
            biz_step=self.step_uri(word),
            organization_id=lot.row["custodian_id"],
            user_id=user_id,
            measurements=catalog.validate_measurements(measured),
        )

    def ship(self, lot: Lot, *, to: int, at: datetime, sender_user: int, receiver_user: int, reference: str) -> None:
        """``custody.ship`` then ``custody.receive`` (the receiver confirms a few hours later)."""
        sender = lot.row["custodian_id"]
        parties = {
            "sourceList": [{"type": "owning_party", "organization_id": sender}],
            "destinationList": [{"type": "owning_party", "organization_id": to}],
        }
        shipped = self._append(
            at,
            [(lot, QuantityRole.OBSERVED, lot.row["quantity_remaining"])],
            type=EventType.OBJECT,
            action="OBSERVE",
            operation="ship",
            biz_step="shipping",
            disposition="in_transit",
            organization_id=sender,
            user_id=sender_user,
            extra={**parties, "bizTransactionList": [{"type": "desadv", "reference": reference}]},
        )
        arrived = at + timedelta(hours=self.rng.randint(2, 30))
        received = self._append(
            arrived,
            [(lot, QuantityRole.OBSERVED, lot.row["quantity_remaining"])],
            type=EventType.OBJECT,
            action="OBSERVE",
            operation="receive",
            biz_step="receiving",
            disposition="in_progress",
            organization_id=to,
            user_id=receiver_user,
            extra=parties,
        )
        self.rows[Shipment].append(
            {
                "id": self._id(Shipment),
                "batch_id": lot.id,
                "from_organization_id": sender,
                "to_organization_id": to,
                "status": ShipmentStatus.RECEIVED.value,
                "reference": reference,
                "shipped_event_id": shipped,
                "received_event_id": received,
                "shipped_at": at,
                "received_at": arrived,
                "shipped_by_id": sender_user,
                "received_by_id": receiver_user,
            }
        )
        lot.row["custodian_id"] = to
        lot.row["status"] = (BatchStatus.ACTIVE if lot.row["quantity_remaining"] > 0 else BatchStatus.CONSUMED).value

    def merge(self, inputs: list[Lot], *, at: datetime, user_id: int) -> Lot:
        """``repackaging.merge``: whole lots of one product and grade pooled into a new lot."""
        first = inputs[0]
        self.counts.largest_fan_in = max(self.counts.largest_fan_in, len(inputs))
        unit = first.row["unit"]
        total = ledger.quantize(sum((lot.row["quantity_remaining"] for lot in inputs), Decimal(0)))
        drc = None
        if catalog.product(first.row["product"]).needs_drc and all(lot.row["drc_percent"] for lot in inputs):
            dry = sum(
                (catalog.dry_basis(lot.row["quantity_remaining"], lot.row["drc_percent"]) for lot in inputs), Decimal(0)
            )
            drc = ledger.quantize(dry * 100 / total)
        merged = self._new_lot(
            at,
            set().union(*(lot.plots for lot in inputs)),
            commodity=first.row["commodity"],
            product=first.row["product"],
            grade=first.row["grade"],
            unit=unit,
            initial_quantity=total,
            drc_percent=drc,
            custodian_id=first.row["custodian_id"],
            created_by_id=user_id,
            **_harvest_range(inputs),
        )
        taken = [(lot, lot.row["quantity_remaining"]) for lot in inputs]
        event_id = self._append(
            at,
            [(lot, QuantityRole.INPUT, q) for lot, q in taken] + [(merged, QuantityRole.OUTPUT, total)],
            type=EventType.TRANSFORMATION,
            operation="merge",
            biz_step="repackaging",
            disposition="active",
            organization_id=first.row["custodian_id"],
            user_id=user_id,
        )
        self._link(taken, [merged], event_id)
        for lot in inputs:
            self._consumed_if_empty(lot)
        return merged

    def split(self, parent: Lot, parts: list[Decimal], *, at: datetime, user_id: int) -> list[Lot]:
        """``repackaging.split``: new lots of the same product, grade, plots and harvest period."""
        parts = [ledger.quantize(p) for p in parts]
        total = sum(parts, Decimal(0))
        inherited = {
            key: parent.row[key]
            for key in (
                "commodity",
                "product",
                "grade",
                "unit",
                "drc_percent",
                "custodian_id",
                "harvest_start",
                "harvest_end",
                "unknown_origin",
                "gtin",
            )
        }
        children = [
            self._new_lot(at, parent.plots, **inherited, initial_quantity=q, created_by_id=user_id) for q in parts
        ]
        event_id = self._append(
            at,
            [(parent, QuantityRole.INPUT, total)]
            + [(child, QuantityRole.OUTPUT, q) for child, q in zip(children, parts, strict=True)],
            type=EventType.TRANSFORMATION,
            operation="split",
            biz_step="repackaging",
            disposition="active",
            organization_id=parent.row["custodian_id"],
            user_id=user_id,
        )
        self._link([(parent, total)], children, event_id)
        self._consumed_if_empty(parent)
        return children

    def transform(self, inputs: list[Lot], outputs: list[tuple[str, str | None, Decimal]], *, word, at, user_id):
        """``transformations.transform``: every input consumed whole, output lots of another form (yield in band)."""
        first = inputs[0]
        in_form = catalog.product(first.row["product"])
        if in_form.needs_drc:
            basis = sum(
                (catalog.dry_basis(lot.row["quantity_remaining"], lot.row["drc_percent"]) for lot in inputs), Decimal(0)
            )
        else:
            basis = sum((lot.row["quantity_remaining"] for lot in inputs), Decimal(0))
        low, high = catalog.conversion_band(in_form.code, outputs[0][0])
        made = sum((q for _, _, q in outputs), Decimal(0))
        assert low <= made / basis <= high, (in_form.code, outputs, basis)
        plots = set().union(*(lot.plots for lot in inputs))
        lots = [
            self._new_lot(
                at,
                plots,
                commodity=first.row["commodity"],
                product=product,
                grade=grade,
                initial_quantity=ledger.quantize(q),
                custodian_id=first.row["custodian_id"],
                created_by_id=user_id,
                **_harvest_range(inputs),
            )
            for product, grade, q in outputs
        ]
        taken = [(lot, lot.row["quantity_remaining"]) for lot in inputs]
        event_id = self._append(
            at,
            [(lot, QuantityRole.INPUT, q) for lot, q in taken]
            + [(lot, QuantityRole.OUTPUT, lot.row["initial_quantity"]) for lot in lots],
            type=EventType.TRANSFORMATION,
            operation="transform",
            biz_step=self.step_uri(word),
            disposition="active",
            organization_id=first.row["custodian_id"],
            user_id=user_id,
        )
        self._link(taken, lots, event_id)
        for lot in inputs:
            self._consumed_if_empty(lot)
        return lots

    # --- writing --------------------------------------------------------------------------------------------------

    def flush(self) -> None:
        """Write the buffered lots (in their final state) and everything that refers to them, in FK order."""
        batches = [lot.row for lot in self.lots]
        plots = [
            {"id": self._id(BatchPlot), "batch_id": lot.id, "plot_id": plot_id}
            for lot in self.lots
            for plot_id in sorted(lot.plots)
        ]
        write(Batch, batches)
        write(Event, self.rows.pop(Event, []))
        write(EventQuantity, self.rows.pop(EventQuantity, []))
        write(BatchPlot, plots)
        write(BatchLink, self.rows.pop(BatchLink, []))
        write(Shipment, self.rows.pop(Shipment, []))
        self.lots = []


def write(model, rows: list[dict], chunk: int = 20_000) -> None:
    """Core bulk inserts (executemany, batched into multi-row INSERTs by SQLAlchemy)."""
    for start in range(0, len(rows), chunk):
        db.session.execute(insert(model.__table__), rows[start : start + chunk])


def reset_sequences() -> None:
    """After inserts with explicit ids, PostgreSQL's sequences must continue after them (SQLite needs nothing)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement is not False:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def _uuid(rng: random.Random) -> str:
    import uuid

    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _harvest_range(lots: list[Lot]) -> dict:
    starts = [lot.row["harvest_start"] for lot in lots if lot.row["harvest_start"]]
    ends = [lot.row["harvest_end"] or lot.row["harvest_start"] for lot in lots if lot.row["harvest_start"]]
    return {"harvest_start": min(starts) if starts else None, "harvest_end": max(ends) if ends else None}


# --- the province ---------------------------------------------------------------------------------------------------


@dataclass
class People:
    """Organizations and their owners, as ids."""

    households: list[dict]
    coops: list[dict]
    processors: dict[str, list[dict]]  # by commodity
    buyers: list[dict]
    officer_id: int
    member_of: dict[int, dict]  # household id -> its co-op
    owner: dict[int, int]  # organization id -> its owner's user id


def communes() -> list[str]:
    """The communes of province 75; those of the former Bình Phước (codes below 26000) three times as likely."""
    units = sorted(registry().communes_by_province[PROVINCE], key=lambda unit: unit.code)
    return [u.code for u in units for _ in range(3 if u.code < "26000" else 1)]


def _people(rng: random.Random, scale: float) -> People:
    from core.security import hash_password

    # Owners sign in with one shared demo password (hashing 5,000 different ones would take minutes).
    password = hash_password("province-demo-1")
    now = datetime(2023, 6, 1, tzinfo=UTC)
    pool = communes()
    home_communes = sorted(set(pool))
    counts = {
        OrganizationKind.HOUSEHOLD: max(6, round(HOUSEHOLDS * scale)),
        OrganizationKind.COOPERATIVE: max(2, round(120 * scale)),
        OrganizationKind.PROCESSOR: max(3, round(30 * scale)),
        OrganizationKind.BUYER: max(2, round(200 * scale)),
        OrganizationKind.DEPARTMENT: 1,
    }
    first_user = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    first_org = (db.session.scalar(select(func.max(Organization.id))) or 0) + 1
    users, orgs, memberships = [], [], []
    by_kind: dict[OrganizationKind, list[dict]] = defaultdict(list)
    owner = {}
    for kind, count in counts.items():
        for number in range(count):
            user_id, org_id = first_user + len(users), first_org + len(orgs)
            person = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
            commune = (
                rng.choice(pool) if kind is OrganizationKind.HOUSEHOLD else home_communes[number % len(home_communes)]
            )
            name = {
                OrganizationKind.HOUSEHOLD: f"Hộ {person}",
                OrganizationKind.COOPERATIVE: f"HTX Nông nghiệp số {number + 1}",
                OrganizationKind.PROCESSOR: f"Công ty Chế biến Nông sản số {number + 1}",
                OrganizationKind.BUYER: f"Công ty Thương mại số {number + 1}",
                OrganizationKind.DEPARTMENT: "Sở Nông nghiệp và Môi trường Đồng Nai",
            }[kind]
            users.append(
                {
                    "id": user_id,
                    "phone": f"+8490{user_id:07d}",
                    "email": None,
                    "name": person,
                    "password_hash": password,
                    "is_admin": False,
                    "is_active": True,
                    "locale": "vi",
                    "created_at": now,
                }
            )
            org = {
                "id": org_id,
                "name": name,
                "kind": kind.value,
                "commune_code": commune,
                "street": None,
                "tax_code": None,
                "gln": None,
                "verified_at": now if kind is not OrganizationKind.HOUSEHOLD or rng.random() < 0.6 else None,
                "verified_by_id": None,
                "rejection_reason": None,
                "reviewed_at": None,
                "reviewed_by_id": None,
                "created_at": now,
            }
            orgs.append(org)
            memberships.append(
                {"user_id": user_id, "organization_id": org_id, "role": Role.OWNER.value, "created_at": now}
            )
            by_kind[kind].append(org)
            owner[org_id] = user_id
    write(User, users)
    write(Organization, orgs)
    write(Membership, memberships)
    coops = by_kind[OrganizationKind.COOPERATIVE]
    coops_in = defaultdict(list)
    for coop in coops:
        coops_in[coop["commune_code"]].append(coop)
    member_of = {}
    for household in by_kind[OrganizationKind.HOUSEHOLD]:
        # A household joins a co-op of its commune where there is one, else one nearby (by code order).
        near = coops_in.get(household["commune_code"]) or [coops[int(household["commune_code"]) % len(coops)]]
        member_of[household["id"]] = rng.choice(near)
    write(
        CooperativeMember,
        [{"cooperative_id": c["id"], "household_id": h, "created_at": now} for h, c in member_of.items()],
    )
    processors = by_kind[OrganizationKind.PROCESSOR]
    by_commodity = {c: processors[i :: len(HARVESTED)] for i, c in enumerate(HARVESTED)}
    officer = owner[by_kind[OrganizationKind.DEPARTMENT][0]["id"]]
    return People(
        by_kind[OrganizationKind.HOUSEHOLD],
        coops,
        by_commodity,
        by_kind[OrganizationKind.BUYER],
        officer,
        member_of,
        owner,
    )


def _plots(rng: random.Random, people: People, scale: float) -> list[dict]:
    total = max(len(people.households) * 2, round(PLOTS * scale))
    first = (db.session.scalar(select(func.max(Plot.id))) or 0) + 1
    crops = [c for c, _ in CROP_SHARE]
    weights = [w for _, w in CROP_SHARE]
    rows = []
    now = datetime(2023, 6, 1, tzinfo=UTC)
    # Every household has one plot at least; the rest go to households at random.
    holders = people.households + [rng.choice(people.households) for _ in range(total - len(people.households))]
    for number, household in enumerate(holders):
        crop = rng.choices(crops, weights)[0]
        rows.append(
            {
                "id": first + number,
                "organization_id": household["id"],
                "name": f"Lô {number + 1}",
                "commune_code": household["commune_code"],
                "street": None,
                "area_ha": _d(round(rng.uniform(0.3, 4.0), 2)),
                "crops": [crop],
                "geometry": None,
                "geometry_type": None,
                "gps_accuracy_m": None,
                "growing_area_code": f"VN-75-{household['commune_code']}-{number + 1:05d}"
                if rng.random() < 0.1
                else None,
                "deforestation_free": crop == "rubber",
                "deforestation_declared_at": now if crop == "rubber" else None,
                "deforestation_declared_by_id": people.owner[household["id"]] if crop == "rubber" else None,
                "created_by_id": people.owner[household["id"]],
                "created_at": now,
                "updated_at": now,
            }
        )
    write(Plot, rows)
    return rows


def _certificates(rng: random.Random, people: People, plots: list[dict]) -> None:
    """A VietGAP certificate, verified by the department, for about one household in ten."""
    by_holder = defaultdict(list)
    for plot in plots:
        by_holder[plot["organization_id"]].append(plot["id"])
    first = (db.session.scalar(select(func.max(Certificate.id))) or 0) + 1
    certificates, links = [], []
    for household in people.households:
        if rng.random() >= 0.1:
            continue
        certificate_id = first + len(certificates)
        certificates.append(
            {
                "id": certificate_id,
                "organization_id": household["id"],
                "type": CertificateType.VIETGAP.value,
                "type_other": None,
                "number": f"VG-75-{certificate_id:05d}",
                "issuer": "Trung tâm Chứng nhận Phù hợp (QUACERT)",
                "valid_from": date(2023, 1, 1),
                "valid_to": date(2027, 12, 31),
                "document_id": None,
                "verification": VerificationState.VERIFIED.value,
                "verification_note": None,
                "verified_by_id": people.officer_id,
                "verified_at": datetime(2023, 2, 1, tzinfo=UTC),
                "created_by_id": people.owner[household["id"]],
                "created_at": datetime(2023, 1, 15, tzinfo=UTC),
            }
        )
        links += [{"certificate_id": certificate_id, "plot_id": p} for p in by_holder[household["id"]]]
    write(Certificate, certificates)
    write(CertificatePlot, links)


def seasons_before(today: date, count: int = SEASONS) -> list[periods.Period]:
    """The ``count`` crop seasons that ended before ``today``, oldest first."""
    return list(reversed(periods.recent_seasons(today, count + 1)[1:]))


def _day(rng: random.Random, season: periods.Period, month: int) -> date:
    year = season.start.year if month >= periods.SEASON_START_MONTH else season.start.year + 1
    return date(year, month, rng.randint(1, 28))


def _season_month(day: date) -> int:
    """0 for October, the first month of a crop season, to 11 for September."""
    return (day.month - periods.SEASON_START_MONTH) % 12


def _at(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, time(hour), UTC) - timedelta(hours=7)


def _season_chunk(p: Province, people: People, plots: list[dict], season, commodity: str):
    """One commodity's season: harvests, drying, deliveries to the co-ops, pooling, processing, deep lots.

    Returns the processors' finished lots (for the marketplace) and the cartons with 8 levels of lineage."""
    rng = p.rng
    low, high = PICKINGS[commodity]
    # Households harvest, dry and deliver to their co-op; the co-op pools a month's deliveries (up to 50 a lot).
    collected: dict[tuple[int, int, int], list[tuple[datetime, Lot]]] = defaultdict(list)
    for plot in plots:
        household = plot["organization_id"]
        user = people.owner[household]
        coop = people.member_of[household]
        pickings = rng.randint(low, high)
        per_ha = rng.uniform(*KG_PER_HA[commodity]) / pickings
        for _ in range(pickings):
            day = _day(rng, season, rng.choice(MONTHS[commodity]))
            quantity = _d(round(float(plot["area_ha"]) * per_ha * rng.uniform(0.6, 1.4), 1))
            drc = _d(round(rng.uniform(28, 36), 1)) if commodity == "rubber" else None
            lot = p.harvest(plots=[plot], quantity=quantity, day=day, user_id=user, drc=drc)
            later = _at(day, 10) + timedelta(days=rng.randint(1, 3))
            if commodity == "rubber":  # latex is filtered and its DRC measured the morning it is tapped
                later = lot.row["created_at"] + timedelta(hours=2)
            if commodity == "cashew":
                after = _d(round(float(quantity) * rng.uniform(0.90, 0.96), 1))
                moisture = [{"type": "moisture", "value": f"{rng.uniform(9, 11):.1f}"}]
                p.step(lot, word="sun_drying", at=later, user_id=user, after=after, measured=moisture)
            elif commodity == "pepper":
                p.step(lot, word="threshing", at=later, user_id=user)
            else:
                p.step(lot, word="cleaning", at=later, user_id=user, measured=[{"type": "drc", "value": str(drc)}])
            delivered = later + timedelta(days=rng.randint(0, 4) if commodity != "rubber" else 0, hours=1)
            collection_day = delivered.date()
            p.ship(
                lot,
                to=coop["id"],
                at=delivered,
                sender_user=user,
                receiver_user=people.owner[coop["id"]],
                reference=f"PN-{coop['id']}-{collection_day:%y%m%d}-{lot.id}",
            )
            collected[_season_month(collection_day), coop["id"], 0].append((delivered, lot))

    # Each month's deliveries pooled in lots of up to 50; two months' pools make a warehouse lot for the processor.
    warehouses: dict[tuple[int, int], list[tuple[datetime, Lot]]] = defaultdict(list)
    for (month, coop_id, _), delivered in sorted(collected.items()):
        user = people.owner[coop_id]
        delivered.sort(key=lambda item: item[0])
        for start in range(0, len(delivered), MAX_FAN_IN):
            group = delivered[start : start + MAX_FAN_IN]
            at = group[-1][0] + timedelta(days=1)
            lots = [lot for _, lot in group]
            pooled = p.merge(lots, at=at, user_id=user) if len(lots) > 1 else lots[0]
            warehouses[month // 2, coop_id].append((at, pooled))
    processors = people.processors[commodity]
    step, product, grades, (y_low, y_high) = PROCESSING[commodity]
    processed: dict[tuple[int, str], list[Lot]] = defaultdict(list)
    for (_block, coop_id), pools in sorted(warehouses.items()):
        user = people.owner[coop_id]
        day = max(at for at, _ in pools).date() + timedelta(days=1)
        lots = [lot for _, lot in pools]
        warehouse = p.merge(lots, at=_at(day, 16), user_id=user) if len(lots) > 1 else lots[0]
        processor = processors[coop_id % len(processors)]
        processor_user = people.owner[processor["id"]]
        p.ship(
            warehouse,
            to=processor["id"],
            at=_at(day + timedelta(days=1), 7),
            sender_user=user,
            receiver_user=processor_user,
            reference=f"HD-{coop_id}-{day:%y%m%d}",
        )
        basis = warehouse.row["quantity_remaining"]
        if commodity == "rubber":
            basis = catalog.dry_basis(basis, warehouse.row["drc_percent"])
        made = basis * Decimal(str(rng.uniform(float(y_low) + 0.005, float(y_high) - 0.005)))
        first_share = Decimal(str(rng.uniform(0.4, 0.7)))
        outputs = [(product, grades[0], made * first_share), (product, grades[1], made * (1 - first_share))]
        outputs = [(pr, g, ledger.quantize(q)) for pr, g, q in outputs]
        for lot in p.transform(
            [warehouse], outputs, word=step, at=_at(day + timedelta(days=3), 9), user_id=processor_user
        ):
            processed[processor["id"], lot.row["grade"]].append(lot)

    cartons = _deep_lots(p, people, processed, commodity, season) if commodity in REFINING else []
    finished = [lot for lots in processed.values() for lot in lots] + cartons
    return [lot for lot in finished if lot.row["quantity_remaining"] > 0], cartons


def _deep_lots(p: Province, people: People, processed, commodity: str, season) -> list[Lot]:
    """Carry part of each processor's output on: merge a grade's lots, split, refine, merge again, split for sale.

    harvest → collection pool → warehouse lot → processed → processor pool → part → refined → export pool → carton:
    eight levels of lineage behind each carton."""
    rng = p.rng
    word, product, grade, (y_low, y_high) = REFINING[commodity]
    cartons = []
    for (processor_id, _grade), lots in sorted(processed.items()):
        if len(lots) < 2:
            continue
        user = people.owner[processor_id]
        taken = lots[: max(2, len(lots) // 3)]
        day = max(lot.row["harvest_end"] for lot in taken) + timedelta(days=10)
        day = min(day, season.end - timedelta(days=20))
        pool = p.merge(taken, at=_at(day, 9), user_id=user)
        quantity = pool.row["quantity_remaining"]
        parts = p.split(pool, _parts(rng, quantity, 3), at=_at(day, 11), user_id=user)
        refined = []
        for part in parts:
            made = part.row["quantity_remaining"] * Decimal(
                str(rng.uniform(float(y_low) + 0.005, float(y_high) - 0.005))
            )
            refined += p.transform(
                [part],
                [(product, grade, ledger.quantize(made))],
                word=word,
                at=_at(day + timedelta(days=2), 9),
                user_id=user,
            )
        export = p.merge(refined, at=_at(day + timedelta(days=4), 9), user_id=user)
        cartons += p.split(
            export, _parts(rng, export.row["quantity_remaining"], 4), at=_at(day + timedelta(days=5), 9), user_id=user
        )
    return cartons


def _parts(rng: random.Random, quantity: Decimal, count: int) -> list[Decimal]:
    """``count`` parts adding up to ``quantity`` exactly (the last takes the rounding)."""
    shares = [Decimal(str(rng.uniform(0.8, 1.2))) for _ in range(count)]
    parts = [ledger.quantize(quantity * s / sum(shares)) for s in shares[:-1]]
    return [*parts, quantity - sum(parts)]


def _market(rng: random.Random, people: People, lots: list[Lot], orders: int) -> int:
    """Listings of finished lots and ``orders`` orders on them, in the statuses an order takes before it ships.

    Orders that shipped would need the fulfilment's split and shipment events; these stop before, so the
    marketplace figures are believable without writing the ledger twice."""
    if not lots or not orders:
        return 0
    prices = {"cashew_kernels": 210_000, "black_pepper": 145_000, "white_pepper": 210_000, "svr": 42_000}
    first_listing = (db.session.scalar(select(func.max(Listing.id))) or 0) + 1
    listings = []
    offered = rng.sample(lots, min(len(lots), max(1, orders // 10)))
    for lot in offered:
        quantity_g = int(lot.row["quantity_remaining"] * 1000)
        if quantity_g <= 0:
            continue
        at = datetime.combine(lot.row["harvest_end"], time(9), UTC) + timedelta(days=30)
        listings.append(
            {
                "id": first_listing + len(listings),
                "public_id": _public_id(rng),
                "seller_id": lot.row["custodian_id"],
                "batch_id": lot.id,
                "batch_code": lot.code,
                "commodity": lot.row["commodity"],
                "product": lot.row["product"],
                "grade": lot.row["grade"],
                "eudr_ready": False,
                "title": f"{lot.row['product']} {lot.row['grade'] or ''}".strip(),
                "title_en": None,
                "description": None,
                "description_en": None,
                "price_per_kg": prices.get(lot.row["product"], 100_000),
                "price_tiers": [],
                "min_order_g": 1000,
                "quantity_g": quantity_g,
                "reserved_g": 0,
                "sold_g": 0,
                "shipped_g": 0,
                "payment_methods": ["vietqr", "cod"],
                "photos": [],
                "pickup": True,
                "delivery_fees": {},
                "status": ListingStatus.ACTIVE.value,
                "published_at": at,
                "created_by_id": people.owner[lot.row["custodian_id"]],
                "created_at": at,
                "updated_at": at,
            }
        )
    first_order = (db.session.scalar(select(func.max(Order.id))) or 0) + 1
    rows, lines, changes = [], [], []
    statuses = [
        (OrderStatus.PAID, 0.45),
        (OrderStatus.ACCEPTED, 0.2),
        (OrderStatus.PENDING_PAYMENT, 0.05),
        (OrderStatus.CANCELLED, 0.15),
        (OrderStatus.EXPIRED, 0.15),
    ]
    for number in range(orders):
        listing = listings[number % len(listings)]
        buyer = rng.choice(people.buyers)
        status = rng.choices([s for s, _ in statuses], [w for _, w in statuses])[0]
        quantity_g = rng.randint(1, 50) * 1000
        free = listing["quantity_g"] - listing["reserved_g"] - listing["sold_g"]
        if status in (OrderStatus.PAID, OrderStatus.ACCEPTED, OrderStatus.PENDING_PAYMENT) and quantity_g > free:
            status = OrderStatus.EXPIRED
        if status in (OrderStatus.PAID, OrderStatus.ACCEPTED):
            listing["sold_g"] += quantity_g
        elif status is OrderStatus.PENDING_PAYMENT:
            listing["reserved_g"] += quantity_g
        total = listing["price_per_kg"] * quantity_g // 1000
        at = listing["created_at"] + timedelta(hours=rng.randint(1, 24 * 60))
        order_id = first_order + number
        rows.append(
            {
                "id": order_id,
                "public_id": _public_id(rng),
                "checkout_id": _uuid(rng),
                "buyer_id": buyer["id"],
                "seller_id": listing["seller_id"],
                "placed_by_id": people.owner[buyer["id"]],
                "status": status.value,
                "payment_method": "vietqr",
                "delivery_method": "pickup",
                "delivery_commune_code": None,
                "delivery_street": None,
                "subtotal": total,
                "delivery_fee": 0,
                "total": total,
                "refunded_amount": 0,
                "expires_at": at + timedelta(minutes=30),
                "created_at": at,
                "updated_at": at,
            }
        )
        lines.append(
            {
                "order_id": order_id,
                "listing_id": listing["id"],
                "batch_id": listing["batch_id"],
                "batch_code": listing["batch_code"],
                "title": listing["title"],
                "quantity_g": quantity_g,
                "unit_price": listing["price_per_kg"],
                "line_total": total,
                "buyer_batch_code": None,
                "shipment_id": None,
            }
        )
        changes.append(
            {"order_id": order_id, "from_status": None, "to_status": "pending_payment", "by_user_id": None, "at": at}
        )
        if status is not OrderStatus.PENDING_PAYMENT:
            changes.append(
                {
                    "order_id": order_id,
                    "from_status": "pending_payment",
                    "to_status": status.value,
                    "by_user_id": None,
                    "at": at,
                }
            )
    # The listings with their counters as the orders left them, then the orders that refer to them.
    listing_columns = set(Listing.__table__.c.keys())
    write(Listing, [{k: v for k, v in row.items() if k in listing_columns} for row in listings])
    write(Order, rows)
    write(OrderLine, lines)
    write(OrderStatusChange, [{**c, "note": None} for c in changes])
    return len(rows)


def _public_id(rng: random.Random) -> str:
    from market.models._types import PUBLIC_ID_ALPHABET, PUBLIC_ID_LENGTH

    return "".join(rng.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


@dataclass
class Generated:
    scale: float
    seed: int
    seasons: list[periods.Period]
    households: int
    plots: int
    events: int
    batches: int
    orders: int
    by_operation: dict[str, int]
    harvests: list[dict]  # one row per harvest lot and plot: commodity, product, commune_code, day, kg
    officer_id: int
    deepest_codes: list[str]  # cartons with 8 levels of lineage behind them
    largest_fan_in: int
    rollup: dict


def generate(scale: float = 1.0, seed: int = 75, today: date | None = None, orders: int | None = None) -> Generated:
    """Write the province (call inside an app context, on an empty database); commits."""
    rng = random.Random(seed)
    people = _people(rng, scale)
    plots = _plots(rng, people, scale)
    _certificates(rng, people, plots)
    db.session.commit()
    p = Province(rng)
    seasons = seasons_before(today or periods.today())
    finished: list[Lot] = []
    deepest: list[str] = []
    for season in seasons:
        for commodity in HARVESTED:
            grown = [plot for plot in plots if plot["crops"][0] == commodity]
            lots, cartons = _season_chunk(p, people, grown, season, commodity)
            finished += lots
            deepest += [lot.code for lot in cartons]
            p.flush()
            db.session.commit()
    placed = _market(rng, people, finished, round((orders if orders is not None else ORDERS) * scale))
    reset_sequences()
    db.session.commit()
    refreshed = rollup.refresh()
    return Generated(
        scale=scale,
        seed=seed,
        seasons=seasons,
        households=len(people.households),
        plots=len(plots),
        events=p.counts.events,
        batches=p.counts.batches,
        orders=placed,
        by_operation=dict(p.counts.by_operation),
        harvests=p.harvests,
        officer_id=people.officer_id,
        deepest_codes=sorted(set(deepest)),
        largest_fan_in=p.counts.largest_fan_in,
        rollup=refreshed,
    )


def build_ancestry(ancestors: int = 2000, seed: int = 2075) -> str:
    """A cashew lot with exactly ``ancestors`` ancestors, written like the province (call on an empty database).

    A processor's pool of 8 kernel lots, each shelled from a co-op's warehouse lot of 5 collection pools, each
    pooling about 49 members' harvests (delivered, received): returns the pool's code."""
    rng = random.Random(seed)
    people = _people(rng, 0.01)
    plots = [plot for plot in _plots(rng, people, 0.01) if plot["crops"] == ["cashew"]]
    db.session.commit()
    p = Province(rng)
    coop, processor = people.coops[0], people.processors["cashew"][0]
    coop_user, processor_user = people.owner[coop["id"]], people.owner[processor["id"]]
    kernels, warehouses_count, pools_per_warehouse = 8, 8, 5
    pools_count = warehouses_count * pools_per_warehouse
    harvests = ancestors - kernels - warehouses_count - pools_count
    if harvests < 2 * pools_count:
        raise ValueError(f"at least {2 * pools_count + kernels + warehouses_count + pools_count} ancestors")
    sizes = [harvests // pools_count + (1 if i < harvests % pools_count else 0) for i in range(pools_count)]
    start = date(periods.today().year - 1, 2, 1)
    pools = []
    for number, size in enumerate(sizes):
        day = start + timedelta(days=number // 4)
        lots = []
        for _ in range(size):
            plot = rng.choice(plots)
            user = people.owner[plot["organization_id"]]
            lot = p.harvest(plots=[plot], quantity=_d(rng.randint(200, 900)), day=day, user_id=user)
            p.ship(
                lot,
                to=coop["id"],
                at=_at(day, 15),
                sender_user=user,
                receiver_user=coop_user,
                reference=f"PN-{lot.id}",
            )
            lots.append(lot)
        pools.append(p.merge(lots, at=_at(day, 18), user_id=coop_user))
    made = []
    for number in range(warehouses_count):
        group = pools[number * pools_per_warehouse : (number + 1) * pools_per_warehouse]
        day = start + timedelta(days=15 + number)
        warehouse = p.merge(group, at=_at(day, 8), user_id=coop_user)
        p.ship(
            warehouse,
            to=processor["id"],
            at=_at(day, 10),
            sender_user=coop_user,
            receiver_user=processor_user,
            reference=f"HD-{number}",
        )
        output = ledger.quantize(warehouse.row["quantity_remaining"] * Decimal("0.24"))
        made += p.transform(
            [warehouse], [("cashew_kernels", "W320", output)], word="shelling", at=_at(day, 14), user_id=processor_user
        )
    pool = p.merge(made, at=_at(start + timedelta(days=30), 9), user_id=processor_user)
    p.flush()
    reset_sequences()
    db.session.commit()
    return pool.code
