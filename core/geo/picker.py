"""The state behind the no-JavaScript address picker (templates/_macros/address.html).

A form owner builds an ``AddressPicker`` with ``new_address_picker`` for a blank or edit
form, and with ``read_address_picker(request.form)`` when it comes back. Fields are named
``<prefix>-province_code``, ``-commune_code``, ``-street``, ``-old_address``, ``-candidate``
and ``-refresh``. Without JavaScript the commune list cannot follow the province select, so
the "Show communes" button (``-refresh``) re-submits the form: when ``picker.refresh`` is
true the owner re-renders the form and saves nothing. Save only when ``picker.is_complete``;
then ``picker.commune.code`` and ``picker.street`` are what to store.

An old address typed in ``-old_address`` wins over the commune select: matched to one new
commune it fills the picker; matched to several, the picker lists them as radio buttons
(``-candidate``) and asks the user to choose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from core.errors import ValidationError
from core.geo import messages
from core.geo.names import clean
from core.geo.services import (
    DEFAULT_PROVINCE_CODE,
    AddressMatch,
    Unit,
    format_address,
    get_commune,
    get_province,
    list_communes,
    list_provinces,
    match_old_address,
)

MAX_STREET_LENGTH = 200


@dataclass
class AddressPicker:
    prefix: str
    province_code: str
    provinces: list[Unit]
    communes: list[Unit]
    commune: Unit | None = None
    street: str = ""
    old_address: str = ""
    match: AddressMatch | None = None
    refresh: bool = False
    old_address_open: bool = False
    errors: dict[str, list[str]] = field(default_factory=dict)

    def name(self, field_name: str) -> str:
        """The form field name (and id) of one part: ``address-commune_code``."""
        return f"{self.prefix}-{field_name}"

    @property
    def province_options(self) -> list[tuple[str, str]]:
        return [(unit.code, unit.name) for unit in self.provinces]

    @property
    def commune_options(self) -> list[tuple[str, str]]:
        return [(unit.code, unit.name) for unit in self.communes]

    @property
    def commune_code(self) -> str | None:
        return self.commune.code if self.commune else None

    @property
    def is_complete(self) -> bool:
        """True when the form may be saved: a valid commune, no error, not a list refresh."""
        return self.commune is not None and not self.errors and not self.refresh

    @property
    def full_address(self) -> str | None:
        return format_address(self.commune.code, self.street) if self.commune else None


def new_address_picker(
    commune_code: object = None,
    street: str = "",
    *,
    prefix: str = "address",
    province_code: object = None,
    old_address_open: bool = False,
) -> AddressPicker:
    """The picker of a blank form (Đồng Nai preselected) or of an address being edited."""
    commune = get_commune(commune_code) if commune_code else None
    province = get_province(commune.province_code if commune else province_code) or get_province(DEFAULT_PROVINCE_CODE)
    return _picker(prefix, province, commune=commune, street=clean(street or ""), old_address_open=old_address_open)


def read_address_picker(
    form: Mapping[str, str], *, prefix: str = "address", old_address_open: bool = False
) -> AddressPicker:
    """The picker as the user submitted it, with errors on the parts to correct."""
    names = {
        part: f"{prefix}-{part}"
        for part in ("province_code", "commune_code", "street", "old_address", "candidate", "refresh")
    }
    province = get_province(form.get(names["province_code"])) or get_province(DEFAULT_PROVINCE_CODE)
    posted = get_commune(form.get(names["commune_code"]))
    selected = posted if posted and posted.province_code == province.code else None
    street = clean(form.get(names["street"]) or "")
    old_address = clean(form.get(names["old_address"]) or "")
    chosen = get_commune(form.get(names["candidate"])) if form.get(names["candidate"]) else None
    errors: dict[str, list[str]] = {}
    if len(street) > MAX_STREET_LENGTH:
        errors["street"] = [messages.STREET_TOO_LONG(count=MAX_STREET_LENGTH)]

    # Enter in a text box presses the first button, "Show communes": only a list that is
    # stale (the province changed) or still empty makes this a refresh rather than a save.
    province_changed = posted is not None and selected is None
    asked_for_list = bool(form.get(names["refresh"])) and selected is None
    if (province_changed or asked_for_list) and not old_address and chosen is None:
        return _picker(prefix, province, street=street, refresh=True, old_address_open=old_address_open, errors=errors)

    match = None
    if chosen is not None:
        commune: Unit | None = chosen
    elif old_address:
        try:
            match = match_old_address(old_address)
        except ValidationError as error:  # too long: say so on the box rather than fail the page
            commune = None
            errors["old_address"] = error.errors.get("address", [error.detail])
        else:
            commune, problem = _commune_from_match(match, selected)
            errors.update(problem)
            street = street or (match.street or "")
    else:
        commune = selected
        if commune is None:
            errors["commune_code"] = [messages.CHOOSE_A_COMMUNE]

    if commune is not None:
        province = get_province(commune.province_code) or province
        if match is not None and match.status == "matched":
            old_address = ""  # now shown as the selected commune; the match note says where it came from
    return _picker(
        prefix,
        province,
        commune=commune,
        street=street,
        old_address=old_address,
        match=match,
        old_address_open=old_address_open or bool(old_address),
        errors=errors,
    )


def _commune_from_match(match: AddressMatch, selected: Unit | None) -> tuple[Unit | None, dict[str, list[str]]]:
    if match.status == "matched":
        return match.commune, {}
    if match.status == "ambiguous":
        if selected is not None and selected.code in {unit.code for unit in match.candidates}:
            return selected, {}
        return None, {"candidate": [messages.SEVERAL_COMMUNES_MATCH]}
    if selected is not None:
        return selected, {}  # the list choice stands when the old address says nothing
    return None, {"old_address": [messages.OLD_ADDRESS_NOT_FOUND]}


def _picker(prefix: str, province: Unit, **state) -> AddressPicker:
    return AddressPicker(
        prefix=prefix,
        province_code=province.code,
        provinces=list_provinces(),
        communes=list_communes(province.code),
        **state,
    )
