"""skin_checkins: the user's "is your skin still red, peeling…?" answers per procedure and day

Revision ID: 0010_checkins
Revises: 0007_api_tokens
Create Date: 2026-12-01 14:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_checkins'
down_revision = '0007_api_tokens'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('skin_checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=False),
    sa.Column('local_day', sa.Date(), nullable=False),
    sa.Column('answer', sa.String(length=10), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], name=op.f('fk_skin_checkins_procedure_id_procedures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_skin_checkins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skin_checkins')),
    sa.UniqueConstraint('procedure_id', 'local_day', name=op.f('uq_skin_checkins_procedure_id_local_day'))
    )
    with op.batch_alter_table('skin_checkins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skin_checkins_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('skin_checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skin_checkins_user_id'))
    op.drop_table('skin_checkins')
