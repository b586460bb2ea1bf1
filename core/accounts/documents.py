"""Documents other domains hold for an organization (certificates, say), for the officer who reviews it.

Core cannot know them: a domain registers a source with ``register_document_source`` from its ``init_app``;
the review page lists what every source returns. A source takes an organization id and answers without
checking who asks: the accounts service that calls it has checked that an officer reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import Flask, current_app

_SOURCES = "nongsan.organization_documents"


@dataclass(frozen=True)
class OrganizationDocument:
    """One document as the review page shows it.

    ``title`` is the document's kind in English (marked with ``N_``: the page translates it); ``state`` is
    "pending", "verified" or "rejected" when the department decides on the document itself; ``file_id`` is
    the public id of its stored photo, when one was attached; ``review_endpoint`` is the page where the
    officer decides on it.
    """

    title: str
    number: str
    issuer: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    state: str | None = None
    note: str | None = None
    file_id: str | None = None
    review_endpoint: str | None = None


DocumentSource = Callable[[int], list[OrganizationDocument]]


def register_document_source(app: Flask, source: DocumentSource) -> None:
    app.extensions.setdefault(_SOURCES, []).append(source)


def documents_of(organization_id: int) -> list[OrganizationDocument]:
    """Every registered source's documents for the organization, source by source."""
    return [document for source in current_app.extensions.get(_SOURCES, []) for document in source(organization_id)]
