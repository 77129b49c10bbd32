"""anonymisation: entities (pseudonyms) and mentions (review decisions)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('anon_entities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('pseudonym', sa.String(length=200), nullable=False),
    sa.Column('gender', sa.String(length=1), nullable=True),
    sa.Column('direct', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_anon_entities_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_anon_entities')),
    sa.UniqueConstraint('uuid', name=op.f('uq_anon_entities_uuid')),
    sa.UniqueConstraint('project_id', 'pseudonym', name=op.f('uq_anon_entities_project_id_pseudonym'))
    )
    with op.batch_alter_table('anon_entities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_anon_entities_project_id'), ['project_id'], unique=False)

    op.create_table('anon_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('detector', sa.String(length=40), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status in ('suggested', 'accepted', 'rejected', 'manual')", name=op.f('ck_anon_mentions_status')),
    sa.CheckConstraint('"end" > start', name=op.f('ck_anon_mentions_span')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_anon_mentions_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_id'], ['anon_entities.id'], name=op.f('fk_anon_mentions_entity_id_anon_entities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_anon_mentions')),
    sa.UniqueConstraint('document_id', 'start', 'end', name=op.f('uq_anon_mentions_document_id_start_end'))
    )
    with op.batch_alter_table('anon_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_anon_mentions_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_anon_mentions_entity_id'), ['entity_id'], unique=False)


def downgrade() -> None:
    op.drop_table('anon_mentions')
    op.drop_table('anon_entities')
