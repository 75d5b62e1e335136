"""next_due: each user's next-due instant (indexed), and the dispatch's shared state

Every existing user is backfilled with the "evaluate at the next run" instant (2000-01-01 UTC):
the first dispatch run after the upgrade works each user's real instant out with the app's own
zone rules (planner/reminders/next_due.py) and from then on reads only who is due.

Revision ID: 0011_next_due
Revises: 0007_api_tokens
Create Date: 2026-12-01 14:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011_next_due'
down_revision = '0009_routine'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('dispatch_state',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_dispatch_state'))
    )
    with op.batch_alter_table('users', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('next_due_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_next_due_at'), ['next_due_at'], unique=False)
    op.execute(sa.text("UPDATE users SET next_due_at = '2000-01-01 00:00:00'"))


def downgrade():
    with op.batch_alter_table('users', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_next_due_at'))
        batch_op.drop_column('next_due_at')
    op.drop_table('dispatch_state')
