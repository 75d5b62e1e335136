"""users.email_verified_at: reminders only go to confirmed addresses

Revision ID: 0003_email_verified
Revises: 0002_feed
Create Date: 2026-11-25 10:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003_email_verified'
down_revision = '0002_feed'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(), nullable=True))
    # Accounts from before confirmation existed keep getting their reminders.
    op.execute("UPDATE users SET email_verified_at = created_at")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')
