"""Storage adapter: the database models and the queries that feed the core engine."""
