"""The GS1 Digital Link resolver: which lot a Digital Link names and where each link type leads.

Link types are GS1 Web Vocabulary terms, given as a CURIE (``gs1:traceability``)
or as the full URI (``https://gs1.org/voc/traceability``). We serve:

- ``gs1:defaultLink`` (also no linkType at all), ``gs1:traceability`` and
  ``gs1:pip`` → the public trace page ``/t/<code>``;
- ``gs1:certificationInfo`` → the trace page's certificates section;
- ``gs1:recallStatus`` → the trace page's recall notice at its top (``#recall``);
- ``linkset`` (and ``all``, the name used before the linkset) → every link above
  as an RFC 9264 linkset.

Anything else is a link type we do not serve: 404, as the resolver standard asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, case, or_, select

from core.errors import NotFound
from core.extensions import db
from traceability.digital_link import GS1_VOC, DigitalLink, trace_url
from traceability.models import Batch

LINKSET = "linkset"
LINKSET_ALIASES = (LINKSET, "all")
DEFAULT = "defaultLink"
LANGUAGES = ["vi", "en"]


@dataclass(frozen=True)
class LinkType:
    term: str
    title: str  # for machines reading the linkset: English
    fragment: str = ""


# In linkset order; the default link first.
LINK_TYPES: dict[str, LinkType] = {
    t.term: t
    for t in (
        LinkType(DEFAULT, "Trace this lot: origin farms, processing steps and custody"),
        LinkType("traceability", "Traceability of this lot: origin farms, processing steps and custody"),
        LinkType("pip", "Product information: what this lot is, where and when it was grown"),
        LinkType("certificationInfo", "Certificates valid for the farms of this lot at harvest time", "#certificates"),
        LinkType("recallStatus", "Whether this lot or a lot it was made from is recalled", "#recall"),
    )
}


def link_type_term(value: str | None) -> str | None:
    """The GS1 vocabulary term of a link type given as a CURIE or a URI (None when it is not a GS1 term we know)."""
    if value is None or value == "":
        return DEFAULT
    for prefix in ("gs1:", GS1_VOC, GS1_VOC.replace("https://", "http://")):
        if value.startswith(prefix) and value[len(prefix) :] in LINK_TYPES:
            return value[len(prefix) :]
    return None


def wants_linkset(value: str | None) -> bool:
    return value in LINKSET_ALIASES


def find_lot(link: DigitalLink) -> Batch:
    """The batch with the link's GTIN and lot; a lot number given at harvest wins over a batch code used as the lot."""
    if link.lot is None:
        raise NotFound("This resolver answers for lots: add /10/<lot> after the GTIN.")
    explicit = Batch.lot_number == link.lot
    by_code = and_(Batch.lot_number.is_(None), Batch.code == link.lot)
    batch = db.session.scalar(
        select(Batch)
        .where(Batch.gtin == link.gtin, or_(explicit, by_code))
        .order_by(case((explicit, 0), else_=1), Batch.id)
        .limit(1)
    )
    if batch is None:
        raise NotFound(f"No lot {link.lot!r} of GTIN {link.gtin} is known here.")
    return batch


def target(link: DigitalLink, link_type: str | None) -> str:
    """Where ``link_type`` of the link's lot leads; 404 for a link type we do not serve or a lot we do not know."""
    term = link_type_term(link_type)
    if term is None:
        raise NotFound(f"Link type {link_type!r} is not served for this item.")
    batch = find_lot(link)
    return trace_url(current_app.config["PUBLIC_BASE_URL"], batch.code) + LINK_TYPES[term].fragment


def linkset(link: DigitalLink) -> dict:
    """The RFC 9264 linkset (JSON) of the link's lot: one relation per link type we serve."""
    batch = find_lot(link)
    base_url = current_app.config["PUBLIC_BASE_URL"]
    page = trace_url(base_url, batch.code)
    entry: dict = {"anchor": link.uri(base_url)}
    for term, kind in LINK_TYPES.items():
        entry[GS1_VOC + term] = [
            {"href": page + kind.fragment, "title": kind.title, "type": "text/html", "hreflang": LANGUAGES}
        ]
    return {"linkset": [entry]}


def description() -> dict:
    """The resolver description file served at /.well-known/gs1resolver (GS1-Conformant Resolver standard)."""
    return {
        "name": "Dong Nai Farm Produce traceability resolver",
        "resolverRoot": current_app.config["PUBLIC_BASE_URL"],
        # The standard names primary keys by their AI: (01) is the GTIN.
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": GS1_VOC, "prefix": "gs1:"}],
        "linkTypeDefaultCanBeLinkset": False,
        "linkTypes": [f"gs1:{term}" for term in LINK_TYPES],
    }
