"""Ids never reused on SQLite, and a random account key for sessions and signed links

Revision ID: 0004_account_secrets
Revises: 0003_email_verified
Create Date: 2026-12-01 11:00:00

SQLite reuses the highest INTEGER PRIMARY KEY once its row is deleted, so a new sign-up could
get a deleted account's id, and with it the deleted account's cookies and email links. The
users, procedures and products tables are rebuilt with AUTOINCREMENT (PostgreSQL's sequences
never reuse an id: nothing to do there). Every account gets a random ``account_key`` that
session ids and signed links carry from now on. Addresses stored with a domain in another
script (``lea@bücher.example``) are rewritten to the ASCII (IDNA) form that sign-up now stores
and that mail servers accept.
"""
import secrets

import sqlalchemy as sa
from alembic import op
from email_validator import EmailNotValidError, validate_email


revision = '0004_account_secrets'
down_revision = '0003_email_verified'
branch_labels = None
depends_on = None

NEVER_REUSED = ('users', 'procedures', 'products')


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account_key', sa.String(length=32), nullable=True))
    connection = op.get_bind()
    taken = set(connection.execute(sa.text("SELECT email FROM users")).scalars())
    for user_id, email in connection.execute(sa.text("SELECT id, email FROM users")).all():
        connection.execute(sa.text("UPDATE users SET account_key = :key, email = :email WHERE id = :id"),
                           {"key": secrets.token_urlsafe(16), "email": _ascii_form(email, taken), "id": user_id})
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('account_key', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_account_key'), ['account_key'])
    if connection.dialect.name == 'sqlite':
        for table in NEVER_REUSED:
            with op.batch_alter_table(table, recreate='always', table_kwargs={'sqlite_autoincrement': True}):
                pass


def _ascii_form(email, taken):
    """The address with an IDNA domain, when that is all that keeps it from being ASCII and free."""
    if email.isascii() or not email.rpartition("@")[0].isascii():
        return email
    try:
        ascii_email = validate_email(email, check_deliverability=False, allow_smtputf8=False).ascii_email.lower()
    except EmailNotValidError:
        return email
    if ascii_email in taken:
        return email
    taken.add(ascii_email)
    return ascii_email


def downgrade():
    connection = op.get_bind()
    if connection.dialect.name == 'sqlite':
        for table in NEVER_REUSED:
            with op.batch_alter_table(table, recreate='always', table_kwargs={'sqlite_autoincrement': False}):
                pass
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_account_key'), type_='unique')
        batch_op.drop_column('account_key')
