"""Backups of MLflow stores: consistent snapshots, manifests, retention, restore drills, schedules.

`create` (backup, retention, the scheduled job's pings and metrics) -> `destination` (a folder or any artifact-
repository URI) and `manifest`; `restore` (restore and drills); `artifacts` (content-addressed artifact objects);
`schedule` (systemd, cron, Kubernetes); `metrics` (Prometheus textfile).
"""

from .create import BackupRequest, BackupResult, create_backup, list_backups, prune, run_backup
from .destination import Destination, is_remote, open_destination
from .manifest import Backup, Manifest
from .restore import RestoreResult
from .restore import check as drill_backup
from .restore import restore as restore_backup
from .retention import Policy
from .schedule import PlannedSchedule, ScheduleRequest, plan_schedule

__all__ = ["Destination", "Backup", "Manifest", "BackupRequest", "BackupResult", "Policy", "RestoreResult", "create_backup", "drill_backup", "is_remote", "list_backups",
           "open_destination", "prune", "restore_backup", "run_backup",
           "PlannedSchedule", "ScheduleRequest", "plan_schedule"]
