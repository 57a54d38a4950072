"""`migrator schedule`: nightly `migrator backup` as a systemd timer, a flock-guarded crontab line or a
Kubernetes CronJob."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from ..errors import MigratorError, UsageError


def backup_command(store: str, dest: str, options: list[str]) -> list[str]:
    exe = Path(sys.argv[0]).resolve() if Path(sys.argv[0]).name == "migrator" else None
    head = [str(exe)] if exe else [sys.executable, "-m", "migrator"]
    return head + ["backup", store, "--dest", dest, *options]


def _hhmm(at: str) -> tuple[int, int]:
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", at)
    if not m:
        raise UsageError(f"--at {at!r} must be HH:MM (24-hour), e.g. 03:15")
    return int(m.group(1)), int(m.group(2))


def render(fmt: str, store: str, dest: str, at: str, options: list[str], name: str = "migrator-backup") -> dict[str, str]:
    """{filename: content} for the chosen format."""
    hh, mm = _hhmm(at)
    cmd = backup_command(store, dest, options)
    line = shlex.join(cmd)
    if fmt == "systemd":
        service = f"""[Unit]
Description=migrator backup of an MLflow store ({store.split('@')[-1]})
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
UMask=0077
ExecStart={line}
"""
        timer = f"""[Unit]
Description=Nightly migrator backup

[Timer]
OnCalendar=*-*-* {hh:02d}:{mm:02d}:00
Persistent=true
RandomizedDelaySec=600

[Install]
WantedBy=timers.target
"""
        return {f"{name}.service": service, f"{name}.timer": timer}
    if fmt == "cron":
        lock = f"/tmp/{name}.lock"
        return {"crontab": f"{mm} {hh} * * * flock -n {lock} {line}\n"}
    if fmt == "k8s":
        args = "\n".join(f"            - {shlex.quote(a)}" for a in ["migrator", *cmd[cmd.index('backup'):]])
        return {f"{name}.yaml": f"""apiVersion: batch/v1
kind: CronJob
metadata:
  name: {name}
spec:
  schedule: "{mm} {hh} * * *"
  concurrencyPolicy: Forbid
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 3
  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: migrator-backup
            image: python:3.11-slim
            command:
{args}
"""}
    raise UsageError(f"unknown --format {fmt!r}: use systemd, cron or k8s")


def install(fmt: str, files: dict[str, str], directory: Path | None) -> list[str]:
    """Write the files (systemd/k8s) or add the crontab line; returns what was done."""
    if fmt == "cron":
        line = files["crontab"]
        cur = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
        existing = cur.stdout if cur.returncode == 0 else ""
        if line in existing:
            return ["crontab already holds this line"]
        r = subprocess.run(["crontab", "-"], input=existing + line, text=True, capture_output=True)
        if r.returncode != 0:
            raise MigratorError(f"crontab refused the line: {r.stderr.strip()}")
        return ["added to the crontab"]
    target = directory or (Path("/etc/systemd/system") if fmt == "systemd" else Path.cwd())
    target.mkdir(parents=True, exist_ok=True)
    done = []
    for fname, content in files.items():
        (target / fname).write_text(content)
        done.append(str(target / fname))
    if fmt == "systemd":
        done.append(f"now run: systemctl daemon-reload && systemctl enable --now {next(iter(files)).replace('.service', '.timer')}")
    return done
