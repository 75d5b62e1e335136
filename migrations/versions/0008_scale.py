"""Ledger at scale: a partial index on open reminder rows (the claim), day indexes (retention)

Revision ID: 0008_scale
Revises: 0004_account_secrets
Create Date: 2026-12-01 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_scale'
down_revision = '0004_account_secrets'
branch_labels = None
depends_on = None

OPEN_ROWS = sa.text("status IN ('pending', 'failed')")


def upgrade():
    op.create_index('ix_reminder_sends_open', 'reminder_sends', ['due_at', 'id'],
                    postgresql_where=OPEN_ROWS, sqlite_where=OPEN_ROWS)
    op.create_index('ix_reminder_sends_local_day', 'reminder_sends', ['local_day'])
    op.create_index('ix_adherence_marks_local_day', 'adherence_marks', ['local_day'])


def downgrade():
    op.drop_index('ix_adherence_marks_local_day', table_name='adherence_marks')
    op.drop_index('ix_reminder_sends_local_day', table_name='reminder_sends')
    op.drop_index('ix_reminder_sends_open', table_name='reminder_sends')
