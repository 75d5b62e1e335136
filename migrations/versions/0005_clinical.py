"""products.clinic_approved and procedures.home_serum_day_override: healing skin after open-wound procedures

Revision ID: 0005_clinical
Revises: 0008_scale
Create Date: 2026-12-01 11:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005_clinical'
down_revision = '0008_scale'
branch_labels = None
depends_on = None

#: A rebuild of these tables on SQLite must keep AUTOINCREMENT (0004): ids are never reused.
NEVER_REUSE_IDS = {'sqlite_autoincrement': True}


def upgrade():
    # Existing products were never approved for healing skin: false for every row, then no
    # server default, as the model has none.
    with op.batch_alter_table('products', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.add_column(sa.Column('clinic_approved', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('products', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.alter_column('clinic_approved', server_default=None)
    with op.batch_alter_table('procedures', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.add_column(sa.Column('home_serum_day_override', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('procedures', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.drop_column('home_serum_day_override')
    with op.batch_alter_table('products', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.drop_column('clinic_approved')
