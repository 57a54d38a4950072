"""The environment variables migrator reads, in one place (the scheduled job gets its secrets through them)."""

# `migrator backup` options a scheduled job may take from its 0600 environment file (or Kubernetes Secret)
# instead of its argument list, when their URL carries a password
DEST_ENV = "MIGRATOR_BACKUP_DEST"
ARTIFACTS_ENV = "MIGRATOR_BACKUP_ARTIFACTS"
HEALTHCHECK_ENV = "MIGRATOR_HEALTHCHECK_URL"
