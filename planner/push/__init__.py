"""Web Push: VAPID keys, browser subscriptions, the notification payload, and sending (RFC 8030/8291/8292)."""
