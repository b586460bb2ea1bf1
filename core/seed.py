"""Demo organizations and people of one season in the former Bình Phước (core part of `flask seed-demo`).

The demo logins share one password and are printed by the command; they exist only
where ``flask seed-demo`` was run, which production refuses. Besides the few people whose
lots the demo tells in full, the season has households growing each crop in each of the
communes where it grows (``SEASON_GROWERS``), so that the department's reports have figures
in every demo commune.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from core.accounts.models import CooperativeMember, Membership, Organization, OrganizationKind, Role, User
from core.db import utcnow
from core.extensions import db
from core.security import hash_password

DEMO_PASSWORD = "nongsan-demo-2026"
MARKER_EMAIL = "can.bo@demo.nongsan.vn"  # the department officer: present means "already seeded"

# GSO codes of province 75 (Đồng Nai) after the 2025 reform (vietnam-provinces 2025.10.1).
BU_GIA_MAP = "25222"
LOC_NINH = "25270"
PHU_RIENG = "25264"
DONG_XOAI = "25210"
BINH_PHUOC = "25195"

# Where the season's households grow what: cashew on the northern and central uplands, pepper on the basalt soils
# of Lộc Ninh, Phú Riềng and Bù Gia Mập, rubber around the old state plantations. Each crop is grown by
# ``HOUSEHOLDS_PER_GROWING_AREA`` households in each of its communes: enough producers for every report cell to be
# published (cells of fewer than 3 producers are suppressed in the open data).
SEASON_GROWERS = (
    ("cashew", BU_GIA_MAP),
    ("cashew", BINH_PHUOC),
    ("cashew", LOC_NINH),
    ("pepper", LOC_NINH),
    ("pepper", PHU_RIENG),
    ("pepper", BU_GIA_MAP),
    ("rubber", PHU_RIENG),
    ("rubber", LOC_NINH),
    ("rubber", DONG_XOAI),
)
HOUSEHOLDS_PER_GROWING_AREA = 4
_FAMILY_NAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Điểu",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Huỳnh",
    "Ngô",
    "Dương",
    "Lâm",
    "Trương",
    "Hồ",
)
_GIVEN_NAMES = (
    "Văn Hùng",
    "Thị Hoa",
    "Văn Tâm",
    "Thị Thu",
    "Văn Phúc",
    "Thị Nga",
    "Minh Dũng",
    "Thị Hằng",
    "Văn Lực",
    "Thị Xuân",
    "Hữu Sơn",
    "Thị Yến",
)
_VILLAGE = {BINH_PHUOC: "Khu phố", DONG_XOAI: "Khu phố", LOC_NINH: "Ấp"}  # elsewhere "Thôn"


@dataclass
class DemoWorld:
    users: dict[str, User] = field(default_factory=dict)
    orgs: dict[str, Organization] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (who, login, organization)
    growers: list[tuple[str, str]] = field(default_factory=list)  # (crop, key of the household) of the season
    password_hash: str = ""


def already_seeded() -> bool:
    return db.session.scalar(select(User.id).where(User.email == MARKER_EMAIL)) is not None


def _person(
    world: DemoWorld, key: str, name: str, *, phone: str | None = None, email: str | None = None, is_admin: bool = False
) -> User:
    # One argon2 hash for every demo person: they share the printed demo password.
    user = User(name=name, phone=phone, email=email, password_hash=world.password_hash, is_admin=is_admin)
    db.session.add(user)
    world.users[key] = user
    return user


def _organization(
    world: DemoWorld,
    key: str,
    name: str,
    kind: OrganizationKind,
    commune: str | None,
    street: str | None,
    owner: User,
    role: Role = Role.OWNER,
    *,
    printed: bool = True,
) -> Organization:
    organization = Organization(name=name, kind=kind, commune_code=commune, street=street)
    db.session.add(organization)
    db.session.flush()
    db.session.add(Membership(user_id=owner.id, organization_id=organization.id, role=role))
    world.orgs[key] = organization
    if printed:
        world.logins.append((owner.name, owner.phone or owner.email or "", name))
    return organization


def seed_accounts() -> DemoWorld:
    """Add the season's organizations and people (flushed, not committed)."""
    world = DemoWorld(password_hash=hash_password(DEMO_PASSWORD))
    officer = _person(world, "officer", "Trần Thị Hạnh", email=MARKER_EMAIL, is_admin=True)
    department = _organization(
        world,
        "department",
        "Sở Nông nghiệp và Môi trường Đồng Nai",
        OrganizationKind.DEPARTMENT,
        BINH_PHUOC,
        "Đường Trần Hưng Đạo",
        officer,
    )

    manager = _person(world, "coop_manager", "Điểu Văn Thanh", phone="+84912000101")
    coop = _organization(
        world, "coop", "Hợp tác xã Điều Bù Gia Mập", OrganizationKind.COOPERATIVE, BU_GIA_MAP, "Thôn Bù Lư", manager
    )
    for index, (owner_name, household_name, phone) in enumerate(
        [
            ("Điểu Thị Lan", "Hộ Điểu Thị Lan", "+84912000111"),
            ("Nguyễn Văn Bình", "Hộ Nguyễn Văn Bình", "+84912000112"),
            ("Lê Thị Mai", "Hộ Lê Thị Mai", "+84912000113"),
        ],
        start=1,
    ):
        owner = _person(world, f"cashew_farmer_{index}", owner_name, phone=phone)
        household = _organization(
            world,
            f"cashew_household_{index}",
            household_name,
            OrganizationKind.HOUSEHOLD,
            BU_GIA_MAP,
            f"Thôn {index}",
            owner,
        )
        db.session.add(CooperativeMember(cooperative_id=coop.id, household_id=household.id))

    pepper_owner = _person(world, "pepper_farmer", "Phạm Văn Tiêu", phone="+84912000121")
    _organization(
        world, "pepper_household", "Hộ Phạm Văn Tiêu", OrganizationKind.HOUSEHOLD, LOC_NINH, "Ấp 3", pepper_owner
    )

    for index, (owner_name, phone) in enumerate(
        [("Hoàng Văn Mủ", "+84912000131"), ("Trương Thị Cao", "+84912000132")], start=1
    ):
        owner = _person(world, f"rubber_farmer_{index}", owner_name, phone=phone)
        _organization(
            world,
            f"rubber_household_{index}",
            f"Hộ {owner_name}",
            OrganizationKind.HOUSEHOLD,
            PHU_RIENG,
            f"Thôn Phú Thịnh {index}",
            owner,
        )

    processor_owner = _person(world, "processor", "Võ Minh Chế", email="chebien@demo.nongsan.vn")
    _organization(
        world,
        "processor",
        "Công ty TNHH Chế biến Nông sản Đồng Xoài",
        OrganizationKind.PROCESSOR,
        DONG_XOAI,
        "Khu công nghiệp Đồng Xoài I",
        processor_owner,
    )

    buyer_owner = _person(world, "buyer", "Nguyễn Thu Mua", email="muahang@demo.nongsan.vn")
    _organization(
        world, "buyer", "Công ty CP Xuất nhập khẩu Nông sản Sài Gòn", OrganizationKind.BUYER, None, None, buyer_owner
    )

    # The department has verified the co-op, the processor and the pepper household.
    now = utcnow()
    for key in ("coop", "processor", "pepper_household"):
        world.orgs[key].verified_at = now
        world.orgs[key].verified_by_id = officer.id
    world.orgs["department"] = department
    _season_households(world)
    db.session.flush()
    return world


def _season_households(world: DemoWorld) -> None:
    """The households of ``SEASON_GROWERS``: an owner each (a phone login, not printed one by one), none verified."""
    areas = [(crop, commune, n) for crop, commune in SEASON_GROWERS for n in range(1, HOUSEHOLDS_PER_GROWING_AREA + 1)]
    for index, (crop, commune, number) in enumerate(areas):
        key = f"season_{crop}_{commune}_{number}"
        name = f"{_FAMILY_NAMES[index % len(_FAMILY_NAMES)]} {_GIVEN_NAMES[index % len(_GIVEN_NAMES)]}"
        owner = _person(world, key, name, phone=f"+84912000{201 + index}")
        street = f"{_VILLAGE.get(commune, 'Thôn')} {number + index % 3}"
        _organization(world, key, f"Hộ {name}", OrganizationKind.HOUSEHOLD, commune, street, owner, printed=False)
        world.growers.append((crop, key))
