"""The production deployment (nginx site, systemd units, environment file) and `deploy.cluster`,
which runs it on this machine: nginx in front of N app processes, the consumer, the local
PostgreSQL and Redis. See docs/deploy.md."""
