"""Prometheus text-format metrics of a backup run, for node_exporter's textfile collector (written
atomically by prometheus_client: a temporary file in the same folder, then a rename).

The time of the last success survives failed runs: it is read back from the previous file."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from ..errors import MigratorError

PREFIX = "migrator_backup"


def _previous_success(path: Path) -> float | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    m = re.search(rf"^{PREFIX}_last_success_timestamp_seconds(?:{{[^}}]*}})? ([0-9.eE+-]+)$", text, re.M)
    return float(m.group(1)) if m else None


def check_path(path: Path) -> None:
    """Before the backup: the metrics file must be writable where node_exporter reads it."""
    if not path.name.endswith(".prom"):
        from ..errors import UsageError

        raise UsageError(f"--metrics-file {path} must end in .prom (node_exporter's textfile collector reads only those)")
    from ..files import writable_parent

    writable_parent(path, "the metrics file")


def write_metrics(path: Path, dest: str, *, exit_code: int, seconds: float, result: Any = None,
                  kept: int | None = None) -> None:
    """Last run, exit code, duration; and of a successful run its time, bytes, rows per table, kept backups."""
    from prometheus_client import CollectorRegistry, Gauge, write_to_textfile

    reg = CollectorRegistry()
    labels = {"dest": dest}

    gauges: dict[str, Any] = {}

    def gauge(name: str, doc: str, value: float, extra: dict[str, str] | None = None) -> None:
        values = {**labels, **(extra or {})}
        if name not in gauges:
            gauges[name] = Gauge(f"{PREFIX}_{name}", doc, sorted(values), registry=reg)
        gauges[name].labels(**values).set(value)

    now = time.time()
    gauge("last_run_timestamp_seconds", "When the last backup run ended (Unix time).", now)
    gauge("exit_code", "Exit code of the last backup run (0: success).", exit_code)
    gauge("duration_seconds", "Wall time of the last backup run.", seconds)
    last_ok = now if exit_code == 0 and result is not None else _previous_success(path)
    if last_ok is not None:
        gauge("last_success_timestamp_seconds", "When the last successful backup ended (Unix time).", last_ok)
    if result is not None:
        m = result.manifest
        gauge("bytes", "Bytes the last backup wrote: its database file(s) and the new artifact objects.",
              m.total_bytes)
        if m.artifacts_index:
            gauge("artifact_files", "Artifact files the last backup references.", m.artifacts_files)
            gauge("artifact_bytes", "Bytes of the artifact files the last backup references.", m.artifacts_bytes)
            gauge("artifact_new_files", "Artifact files the last backup had to upload (new or changed).",
                  m.artifacts_new_files)
        for table, rows in sorted(m.database.tables.items()):
            gauge("rows", "Rows per table in the last backup.", rows, {"table": table})
    if kept is not None:
        gauge("kept_backups", "Complete backups in the destination after the run.", kept)
    try:
        write_to_textfile(str(path), reg)
        path.chmod(0o644)  # node_exporter reads it as its own user; it holds counts, no store content
    except OSError as e:
        raise MigratorError(f"cannot write the metrics file {path}: {e.strerror or e}; check the folder") from None
