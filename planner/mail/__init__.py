"""Mail adapter: signed links, message composition from templates, and transports (SMTP, outbox folder)."""
