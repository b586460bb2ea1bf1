"""The identifiers our EPCIS documents use, built for export and read back for queries and capture.

- A lot (an EPC class: we trace quantities of lots, never single items) is its
  GS1 Digital Link ``<base>/01/<GTIN>/10/<lot>`` when it has a GTIN, and its
  public trace page ``<base>/t/<code>`` otherwise: both are stable and resolve.
- A plot is ``<base>/id/plot/<id>``; an organization's site is the GS1 Digital
  Link of its GLN (``https://id.gs1.org/414/<GLN>``) when it has one, else
  ``<base>/id/organization/<id>``; as a party it is ``.../417/<GLN>`` or the same URI.
- Our own business steps and measurement types are terms of ``<base>/voc/``
  (CBV has no "drying"); CBV's own words stay bare, as EPCIS 2.0 JSON writes them.
- Extension fields and master-data attributes are ``nongsan:<name>``, the prefix
  bound to ``<base>/voc/`` in each document's ``@context``.

Pure functions of the public base URL: no database here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from traceability import catalog, digital_link

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
EPCIS_VERSION = "2.0"
GS1_RESOLVER = "https://id.gs1.org"
CBV_BIZ_STEP_URI = "https://ref.gs1.org/cbv/BizStep-"
CBV_DISPOSITION_URI = "https://ref.gs1.org/cbv/Disp-"
EPC_CLASS_VOCABULARY = "urn:epcglobal:epcis:vtype:EPCClass"
PREFIX = "nongsan"

# UN/ECE Recommendation 20 codes of the units our lots are kept in.
UOM = {"kg": "KGM", "t": "TNE"}
UNIT_OF_UOM = {code: unit for unit, code in UOM.items()}

# Our measurement types as EPCIS sensor reports: (measurement type, UN/ECE unit code).
# CBV's own types where one fits; our vocabulary's terms where none does (moisture of a
# kernel is not air humidity; KOR is pounds of kernel per 80 kg bag, a trade unit of its own).
SENSOR_TYPES: dict[str, tuple[str | None, str | None]] = {
    "temperature": ("Temperature", "CEL"),
    "moisture": (None, "P1"),
    "drc": (None, "P1"),
    "foreign_matter": (None, "P1"),
    "density": ("Density", "GL"),
    "kor": (None, None),
}


def vocabulary_base(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/voc/"


def context(base_url: str) -> list:
    """The JSON-LD context of our documents: GS1's, and our prefix for extensions."""
    return [EPCIS_CONTEXT, {PREFIX: vocabulary_base(base_url)}]


def term(name: str) -> str:
    """An extension field or attribute name of our vocabulary (``nongsan:commodity``)."""
    return f"{PREFIX}:{name}"


def class_uri(base_url: str, code: str, gtin: str | None, lot_number: str | None) -> str:
    lot = digital_link.lot_for(code, lot_number)
    if gtin and lot:
        return digital_link.build(base_url, gtin, lot)
    return digital_link.trace_url(base_url, code)


def plot_uri(base_url: str, plot_id: int) -> str:
    return f"{base_url.rstrip('/')}/id/plot/{plot_id}"


def organization_uri(base_url: str, organization_id: int) -> str:
    return f"{base_url.rstrip('/')}/id/organization/{organization_id}"


def site_uri(base_url: str, organization_id: int, gln: str | None) -> str:
    return f"{GS1_RESOLVER}/414/{gln}" if gln else organization_uri(base_url, organization_id)


def party_uri(base_url: str, organization_id: int, gln: str | None) -> str:
    return f"{GS1_RESOLVER}/417/{gln}" if gln else organization_uri(base_url, organization_id)


def order_uri(base_url: str, reference: str) -> str:
    return f"{base_url.rstrip('/')}/id/order/{reference}"


def document_uri(base_url: str, kind: str, reference: str) -> str:
    """A business document we only know by its reference (a delivery note): our URI for it."""
    return f"{base_url.rstrip('/')}/id/{kind}/{reference}"


def biz_step(stored: str, base_url: str) -> str:
    """The EPCIS bizStep of a stored one: our steps are stored as URIs of our vocabulary already, CBV's as words."""
    return stored if "://" in stored else catalog.biz_step_uri(stored, base_url)


def stored_biz_steps(value: str, base_url: str) -> set[str]:
    """The stored forms a queried bizStep may have: as given, and as this server stores its word."""
    word = read_biz_step(value, base_url)
    return {value, word, catalog.biz_step_uri(word, base_url)}


def measurement_type(kind: str, base_url: str) -> str:
    standard = SENSOR_TYPES.get(kind, (None, None))[0]
    return standard or f"{vocabulary_base(base_url)}measurement/{kind}"


# Reading identifiers back ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LotReference:
    """What a class URI names on this server: a lot by its code, or by its GTIN and lot number."""

    code: str | None = None
    gtin: str | None = None
    lot: str | None = None


_OWN_PATH = re.compile(r"^/id/(plot|organization)/([0-9]{1,12})$")
_GLN = re.compile(r"^/(414|417)/([0-9]{13})$")


def _own(uri: str, base_url: str) -> str | None:
    """The path of ``uri`` when it is one of this server's URIs, else None."""
    base = urlsplit(base_url.rstrip("/"))
    parts = urlsplit(uri)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(base.path):
        return None
    return parts.path[len(base.path) :] or "/"


def read_class(uri: str, base_url: str) -> LotReference | None:
    """The lot a class URI of this server names (None for any other URI: another system's class)."""
    path = _own(uri, base_url)
    if path is None:
        return None
    if path.startswith("/t/") and path.count("/") == 2:
        return LotReference(code=unquote(path[3:]))
    if path.startswith("/01/"):
        try:
            link = digital_link.parse(path)
        except digital_link.DigitalLinkSyntaxError:
            return None
        return LotReference(gtin=link.gtin, lot=link.lot) if link.lot and not link.serial else None
    return None


def read_site(uri: str, base_url: str) -> tuple[str, str] | None:
    """("organization", id) or ("gln", GLN) or ("plot", id) for a location or party URI; None when it is not ours."""
    parts = urlsplit(uri)
    if f"{parts.scheme}://{parts.netloc}" == GS1_RESOLVER:
        found = _GLN.match(parts.path)
        return ("gln", found.group(2)) if found else None
    path = _own(uri, base_url)
    found = _OWN_PATH.match(path or "")
    return (found.group(1), found.group(2)) if found else None


def read_biz_step(value: str, base_url: str) -> str:
    """The stored step of an EPCIS bizStep: a bare CBV word, CBV's URI of it, or a term of our vocabulary."""
    if value.startswith(CBV_BIZ_STEP_URI):
        return value[len(CBV_BIZ_STEP_URI) :]
    ours = f"{vocabulary_base(base_url)}bizstep/"
    if value.startswith(ours):
        return value[len(ours) :]
    return value


def read_disposition(value: str | None) -> str | None:
    if value and value.startswith(CBV_DISPOSITION_URI):
        return value[len(CBV_DISPOSITION_URI) :]
    return value


def read_measurement_type(value: str, base_url: str) -> str | None:
    """Our measurement type of a sensor report's type, None when it is not one we keep."""
    for kind, (standard, _uom) in SENSOR_TYPES.items():
        if value == standard or value == f"{vocabulary_base(base_url)}measurement/{kind}":
            return kind
    return None
