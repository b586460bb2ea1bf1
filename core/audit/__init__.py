"""The audit log: every decision an officer takes about a record (and a producer's answer to one), who took
it, for which organization, about what, and why.

The interface is ``record(actor, action, subject, *, reason=None, details=None)``: it ADDS one entry to the
current session and never commits, so the entry is written by the caller's own commit, in the same
transaction as the decision it records (a decision without its entry, or an entry without its decision,
cannot be left behind). Domains name their actions with dotted codes (``certificate.verified``) and register
their labels with ``register_actions`` so the officer's page can show and filter them; core imports no domain.
"""

from core.audit.services import (
    AuditPage,
    action_labels,
    entries_about,
    list_entries,
    record,
    register_actions,
)

__all__ = ["AuditPage", "action_labels", "entries_about", "list_entries", "record", "register_actions"]
