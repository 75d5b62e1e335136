"""products.product_type and products.areas, procedures.area: the whole routine and the treated area

products.slot keeps its column and gains the value "both" (morning and evening).

Revision ID: 0009_routine
Revises: 0007_api_tokens
Create Date: 2026-12-01 14:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_routine'
down_revision = '0010_checkins'
branch_labels = None
depends_on = None

#: A rebuild of these tables on SQLite must keep AUTOINCREMENT (0004): ids are never reused.
NEVER_REUSE_IDS = {'sqlite_autoincrement': True}


def upgrade():
    # Every existing product and procedure was on the face: "face" for each row, then no server
    # default, as the models have none.
    with op.batch_alter_table('products', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.add_column(sa.Column('product_type', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('areas', sa.String(length=60), nullable=False, server_default='face'))
    with op.batch_alter_table('products', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.alter_column('areas', server_default=None)
    with op.batch_alter_table('procedures', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.add_column(sa.Column('area', sa.String(length=10), nullable=False, server_default='face'))
    with op.batch_alter_table('procedures', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.alter_column('area', server_default=None)


def downgrade():
    with op.batch_alter_table('procedures', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.drop_column('area')
    # "both" has no single slot: such products go back to the planner's choice
    op.execute("UPDATE products SET slot = NULL WHERE slot = 'both'")
    with op.batch_alter_table('products', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.drop_column('areas')
        batch_op.drop_column('product_type')
