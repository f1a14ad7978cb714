"""Services: operations with side effects above the queries (the one write path, log-in, personal data, the demo builder)."""
