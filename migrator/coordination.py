"""Runtime coordination rows of MLflow's job runner (3.17+: `scheduler_leases`, `job_locks`, the lease columns of
`jobs`). They are state of the old server's processes, not history. migrator copies them as they are (verify
compares them row for row) and proves them harmless: a scheduler lease lapses `ttl_seconds` after it was
taken, and the new server takes over once it has; a job lock is only honoured while its job is unfinished and
its lease (`jobs.lease_expires_at`) runs, so a job of the stopped server is recovered as stale."""

from __future__ import annotations

import time
from datetime import datetime, timezone

from .stores import Database


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def live_rows_note(db: Database, now_ms: int | None = None) -> str | None:
    """A note when a lease or job lease of the old server still runs (start the new server after it lapses)."""
    names = set(db.table_names())
    now = int(time.time() * 1000) if now_ms is None else now_ms
    until = []
    if "scheduler_leases" in names:
        until += [int(a) + int(t) * 1000 for a, t in db.query("SELECT acquired_at, ttl_seconds FROM scheduler_leases")]
    if "jobs" in names and "lease_expires_at" in {c.name for c in db.tables()["jobs"].columns}:
        until += [int(e) for (e,) in db.query("SELECT lease_expires_at FROM jobs WHERE lease_expires_at IS NOT NULL")]
    live = [u for u in until if u > now]
    if not live:
        return None
    return (f"{len(live)} scheduler or job lease(s) of the old server's job runner still run (until "
            f"{_iso(max(live))}): they are copied as they are; start the new server after that time, or its job "
            "runner waits for them to lapse")
