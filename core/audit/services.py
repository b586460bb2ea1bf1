"""Recording decisions in the audit log, and reading it back for department officers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import func, select

from core.accounts.models import Organization, User
from core.accounts.permissions import department_id_of, require_department_officer
from core.audit.models import AuditEntry
from core.extensions import db

_ACTIONS = "nongsan.audit_actions"
_WORD_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")


def subject_type_of(subject: Any) -> str:
    """The subject's kind as the log names it: ``Organization`` → "organization", ``StoredFile`` → "stored_file"."""
    return _WORD_BOUNDARY.sub("_", type(subject).__name__).lower()


def record(
    actor: User | None,
    action: str,
    subject: Any | None,
    *,
    reason: str | None = None,
    details: Mapping[str, Any] | None = None,
    organization_id: int | None = None,
) -> AuditEntry:
    """Add the entry "``actor`` did ``action`` to ``subject`` because ``reason``" to the session, uncommitted.

    ``subject`` is a mapped row with an ``id`` (``None`` with no actor either: a sign-in under an unknown
    login, an "account" without id); ``details`` is JSON of what the subject was at the time.
    ``organization_id`` is the organization the actor acted for; by default their department's (none for an
    administrator outside it). The request's client address is kept with it. The caller's single commit writes
    the entry together with its decision.
    """
    if subject is not None and subject.id is None:
        db.session.flush()
    if organization_id is None and actor is not None:
        organization_id = department_id_of(actor)
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_organization_id=organization_id,
        action=action,
        subject_type=subject_type_of(subject) if subject is not None else "user",
        subject_id=subject.id if subject is not None else None,
        reason=reason,
        details=dict(details) if details is not None else None,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def register_actions(app: Flask, labels: Mapping[str, str]) -> None:
    """Name a domain's action codes for the officer's page: ``{code: label}``, labels marked with ``N_``."""
    app.extensions.setdefault(_ACTIONS, {}).update(labels)


def action_labels() -> dict[str, str]:
    """Every registered action code with its (untranslated) label, in code order."""
    return dict(sorted(current_app.extensions.get(_ACTIONS, {}).items()))


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    actor_name: str | None
    organization_name: str | None


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int


def list_entries(user: User, *, action: str | None = None, offset: int = 0, limit: int = 50) -> AuditPage:
    """For department officers: the log, newest first; only ``action``'s entries when it is a registered code."""
    require_department_officer(user)
    statement = select(AuditEntry)
    if action in action_labels():
        statement = statement.where(AuditEntry.action == action)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    found = db.session.execute(
        statement.add_columns(User.name, Organization.name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .outerjoin(Organization, Organization.id == AuditEntry.actor_organization_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return AuditPage([AuditRow(entry, actor, organization) for entry, actor, organization in found], total)


def entries_about(subject_type: str, subject_id: int) -> list[AuditEntry]:
    """The log of one subject, newest first (callers check who may read it)."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id == subject_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        )
    )
