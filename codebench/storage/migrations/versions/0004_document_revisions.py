"""document revisions (edits, corrected files) and the coding flag for changed words

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('before_sha256', sa.String(length=64), nullable=False),
    sa.Column('after_sha256', sa.String(length=64), nullable=False),
    sa.Column('pieces', sa.JSON(), nullable=False),
    sa.Column('turns_before', sa.JSON(), nullable=False),
    sa.Column('turn_seq', sa.Integer(), nullable=True),
    sa.Column('author', sa.String(length=100), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_revisions_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_revisions')),
    sa.UniqueConstraint('uuid', name=op.f('uq_document_revisions_uuid')),
    sa.UniqueConstraint('document_id', 'seq', name=op.f('uq_document_revisions_document_id_seq'))
    )
    with op.batch_alter_table('document_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_revisions_document_id'), ['document_id'], unique=False)
    # A plain ADD COLUMN (no batch copy): the codings table is the largest, and SQLite adds a
    # nullable column in place.
    op.add_column('codings', sa.Column('flag', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('codings', schema=None) as batch_op:
        batch_op.drop_column('flag')
    op.drop_table('document_revisions')
