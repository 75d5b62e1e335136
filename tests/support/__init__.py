"""Real servers for the tests: a throwaway PostgreSQL, a live app server, an SMTP sink."""
