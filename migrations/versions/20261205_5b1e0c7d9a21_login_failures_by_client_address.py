"""login failures by client address

Revision ID: 5b1e0c7d9a21
Revises: 5f0e2b7c9a41
Create Date: 2026-12-05 00:05:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5b1e0c7d9a21"
down_revision = "5f0e2b7c9a41"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(length=45), nullable=True))
        batch_op.create_index("ix_login_failures_address_at", ["address", "at"], unique=False)


def downgrade():
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failures_address_at")
        batch_op.drop_column("address")
