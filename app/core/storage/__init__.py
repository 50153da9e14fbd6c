"""Storage: the declarative base and column types, transactions and the audit log, domain events, migrations."""
