"""Covering indexes on batch_links for the lineage walks

Revision ID: c3a8d5e1f902
Revises: 4363e874f236
Create Date: 2026-12-04 20:50:00.000000

The recursive lineage query reads parent, child, event and quantity of each link it follows. With only
(child_id, parent_id) indexed, PostgreSQL's estimate of the walk's size made it hash-join a sequential scan of
every link at each step; with every column read in the index, each step is an index-only lookup.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "c3a8d5e1f902"
down_revision = "4363e874f236"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("batch_links", schema=None) as batch_op:
        batch_op.create_index(
            "ix_batch_links_child_walk", ["child_id", "parent_id", "event_id", "quantity"], unique=False
        )
        batch_op.create_index(
            "ix_batch_links_parent_walk", ["parent_id", "child_id", "event_id", "quantity"], unique=False
        )
        batch_op.drop_index("ix_batch_links_child_parent")
        batch_op.drop_index("ix_batch_links_parent_child")


def downgrade():
    with op.batch_alter_table("batch_links", schema=None) as batch_op:
        batch_op.create_index("ix_batch_links_parent_child", ["parent_id", "child_id"], unique=False)
        batch_op.create_index("ix_batch_links_child_parent", ["child_id", "parent_id"], unique=False)
        batch_op.drop_index("ix_batch_links_parent_walk")
        batch_op.drop_index("ix_batch_links_child_walk")
