"""Backups of MLflow stores: consistent snapshots, manifests, retention, restore drills, schedules."""
