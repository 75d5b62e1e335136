"""One daily message on every channel: message parts, timing, holiday and quiet hours, Web Push

- users: remind_procedure_day and remind_ramp (new parts of the daily message, on like the old
  notice switches), reminder_anchor / reminder_lead_minutes (fixed time or before a routine),
  reminders_paused_until (holiday switch), quiet_start / quiet_end, push_enabled.
- reminder_sends: a channel column; the unique key becomes (user, local day, kind, channel).
  Existing rows were all email. A day that had only a washout or recovery-end notice keeps one of
  them as its "daily" row, so the upgrade day never sends the merged message on top.
- push_subscriptions: one row per subscribed browser.

Revision ID: 0006_messaging
Revises: 0005_clinical
Create Date: 2026-12-01 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_messaging'
down_revision = '0005_clinical'
branch_labels = None
depends_on = None

#: A rebuild of users on SQLite must keep AUTOINCREMENT (0004): ids are never reused.
NEVER_REUSE_IDS = {'sqlite_autoincrement': True}

_USER_COLUMNS = (
    ('remind_procedure_day', sa.Boolean(), sa.true()),
    ('remind_ramp', sa.Boolean(), sa.true()),
    ('push_enabled', sa.Boolean(), sa.false()),
    ('reminder_anchor', sa.String(length=10), sa.literal('fixed')),
    ('reminder_lead_minutes', sa.Integer(), sa.literal(30)),
)


def upgrade():
    with op.batch_alter_table('users', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        for name, type_, _ in _USER_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.add_column(sa.Column('reminders_paused_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('quiet_start', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('quiet_end', sa.Time(), nullable=True))
    users = sa.table('users', *(sa.column(name, type_) for name, type_, _ in _USER_COLUMNS))
    op.execute(users.update().values({name: value for name, _, value in _USER_COLUMNS}))
    with op.batch_alter_table('users', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        for name, type_, _ in _USER_COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=False)

    with op.batch_alter_table('reminder_sends', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), nullable=True))
    op.execute("UPDATE reminder_sends SET channel = 'email'")
    # A day with notices but no daily row: its first notice stands for the day's message.
    op.execute(
        "UPDATE reminder_sends SET kind = 'daily' WHERE kind IN ('washout', 'recovery_end') AND id IN ("
        " SELECT MIN(n.id) FROM reminder_sends n WHERE n.kind IN ('washout', 'recovery_end')"
        " AND NOT EXISTS (SELECT 1 FROM reminder_sends d WHERE d.user_id = n.user_id"
        " AND d.local_day = n.local_day AND d.kind = 'daily')"
        " GROUP BY n.user_id, n.local_day)"
    )
    with op.batch_alter_table('reminder_sends', schema=None) as batch_op:
        batch_op.alter_column('channel', existing_type=sa.String(length=10), nullable=False)
        batch_op.drop_constraint('uq_reminder_sends_user_id_local_day_kind', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_reminder_sends_user_id_local_day_kind_channel'), ['user_id', 'local_day', 'kind', 'channel'])

    op.create_table('push_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('endpoint', sa.String(length=1000), nullable=False),
    sa.Column('p256dh', sa.String(length=200), nullable=False),
    sa.Column('auth', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_success_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_push_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscriptions')),
    sa.UniqueConstraint('endpoint', name=op.f('uq_push_subscriptions_endpoint'))
    )
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_subscriptions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_subscriptions_user_id'))
    op.drop_table('push_subscriptions')

    # Only email rows existed before; snoozes and push rows have no place in the old key.
    op.execute("DELETE FROM reminder_sends WHERE channel <> 'email' OR kind NOT IN ('daily', 'washout', 'recovery_end')")
    with op.batch_alter_table('reminder_sends', schema=None) as batch_op:
        batch_op.drop_constraint('uq_reminder_sends_user_id_local_day_kind_channel', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_reminder_sends_user_id_local_day_kind'), ['user_id', 'local_day', 'kind'])
        batch_op.drop_column('channel')

    with op.batch_alter_table('users', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        for name in ('quiet_end', 'quiet_start', 'reminders_paused_until'):
            batch_op.drop_column(name)
        for name, _, _ in reversed(_USER_COLUMNS):
            batch_op.drop_column(name)
