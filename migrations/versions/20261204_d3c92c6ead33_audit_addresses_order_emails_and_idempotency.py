"""Audit log addresses and anonymous sign-in failures, order emails sent, idempotency claims' commit mark

Revision ID: d3c92c6ead33
Revises: 5b1e0c7d9a21
Create Date: 2026-12-04 23:13:09.394941

The audit log keeps the client's address and may name no actor (a failed sign-in under an unknown login);
market_order_emails records each order email the mail server accepted, so a retry sends only the rest;
idempotency_records.committed_at is set in the transaction of the request's writes.
"""

import sqlalchemy as sa
from alembic import op

import core.db

# revision identifiers, used by Alembic.
revision = "d3c92c6ead33"
down_revision = "5b1e0c7d9a21"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "market_order_emails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("sent_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["market_orders.id"],
            name=op.f("fk_market_order_emails_order_id_market_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_market_order_emails_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_order_emails")),
        sa.UniqueConstraint("order_id", "event", "user_id", name=op.f("uq_market_order_emails_order_id_event_user_id")),
    )
    with op.batch_alter_table("market_order_emails", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_order_emails_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ip_address", sa.String(length=45), nullable=True))
        batch_op.alter_column("actor_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.alter_column("subject_id", existing_type=sa.INTEGER(), nullable=True)

    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("committed_at", core.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.drop_column("committed_at")

    # Entries without an actor or subject cannot be kept in the older table.
    op.execute("DELETE FROM audit_log WHERE actor_id IS NULL OR subject_id IS NULL")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("subject_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.alter_column("actor_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("ip_address")

    with op.batch_alter_table("market_order_emails", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_order_emails_user_id"))

    op.drop_table("market_order_emails")
