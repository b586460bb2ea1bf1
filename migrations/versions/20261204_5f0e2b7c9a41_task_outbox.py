"""The task outbox: Celery messages written in the transaction of the work they are about

Revision ID: 5f0e2b7c9a41
Revises: c3a8d5e1f902
Create Date: 2026-12-04 23:30:00.000000

A label sheet, an EPCIS capture or an order's email recorded while the broker (Redis) is down used to be
committed with its task never sent. The message is now a row of task_outbox, committed with the work,
sent after the commit and, failing that, by the core.send_outbox beat job once the broker is back.
"""

import sqlalchemy as sa
from alembic import op

import core.db

# revision identifiers, used by Alembic.
revision = "5f0e2b7c9a41"
down_revision = "c3a8d5e1f902"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "task_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("kwargs", sa.JSON(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_outbox")),
    )
    with op.batch_alter_table("task_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_outbox_created_at"), ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("task_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_outbox_created_at"))
    op.drop_table("task_outbox")
