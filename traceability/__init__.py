"""Traceability: plots, batches, the event ledger and lineage, QR codes and labels, trace pages, Digital Link, EUDR.

``init_app(app)`` wires the domain into an app built by ``core.app.create_core_app``; the composition root
(``nongsan_app.create_app``) calls it. Other domains reach traceability only through its public service modules
(``traceability.services.for_sale`` and ``traceability.services.fulfilment``), never its models.
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask


def init_app(app: Flask) -> None:
    """Register traceability's tables, API resources, pages and Celery tasks on ``app``."""
    from core.accounts.documents import register_document_source
    from core.api import register_api_blueprints
    from core.audit import register_actions
    from core.navigation import PRODUCER, register_landing, register_menu_items
    from core.tasks import register_tasks
    from traceability.api import blueprints as api_blueprints
    from traceability.identifiers import BATCH_CODE_EXAMPLE, BATCH_CODE_LENGTH
    from traceability.services import certificates, trace_versions
    from traceability.views import MENU_ITEMS
    from traceability.views import blueprints as page_blueprints
    from traceability.views.trace import register_replay

    # Importing the models puts the domain's tables in the metadata that Alembic and the tests compare.
    import_module("traceability.models")
    register_api_blueprints(app, *api_blueprints())
    for blueprint in page_blueprints():
        app.register_blueprint(blueprint)
    register_menu_items(app, *MENU_ITEMS)
    register_landing(app, PRODUCER, "traceability.batch_list", welcome="traceability.first_steps")
    register_actions(app, certificates.AUDIT_ACTIONS)
    # The officer reviewing an organization sees its certificates and their photos.
    register_document_source(app, certificates.organization_documents)
    # The full re-verification of the ledger whose verdict trace pages show (integrity.audit_ledger).
    audit_every = app.config["LEDGER_AUDIT_MINUTES"] * 60.0
    register_tasks(
        app, "traceability.tasks", beat={"audit-ledger": {"task": "traceability.audit_ledger", "schedule": audit_every}}
    )
    # Every write that changes what a trace page shows raises the version of the lots it touches.
    trace_versions.install()
    # A visitor's trace page is sent again from what Flask sent while its version holds (core.replay).
    register_replay(app)
    # Core's lot-code form tells buyers how a code looks; the codes are ours (core.views.lot_code_hint).
    app.config.setdefault("LOT_CODE_LENGTH", BATCH_CODE_LENGTH)
    app.config.setdefault("LOT_CODE_EXAMPLE", BATCH_CODE_EXAMPLE)
