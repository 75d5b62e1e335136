"""calendar feed state: what was last published, per user and per event

Revision ID: 0002_feed
Revises: 0001
Create Date: 2026-11-25 09:02:41.293894

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_feed'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feed_event_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=80), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_feed_event_states_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_event_states')),
    sa.UniqueConstraint('user_id', 'uid', name=op.f('uq_feed_event_states_user_id_uid'))
    )
    op.create_table('feed_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('inputs_sha256', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_feed_states_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_states')),
    sa.UniqueConstraint('user_id', name=op.f('uq_feed_states_user_id'))
    )


def downgrade():
    op.drop_table('feed_states')
    op.drop_table('feed_event_states')
