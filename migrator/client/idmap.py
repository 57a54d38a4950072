"""The id map of a client copy: old -> new ids, saved atomically as JSON, so a rerun copies only what is missing."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path
from typing import Any

from ..errors import MigratorError
from ..files import write_private
from .endpoints import Endpoint


class IdMap:
    """old -> new ids, saved atomically as JSON; thread-safe."""

    KINDS = ("experiments", "runs", "logged_models", "model_versions")  # registered models keep their names

    def __init__(self, path: Path | None, source: str, target: str) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.data: dict[str, Any] = {"format": 1, "source": source, "target": target,
                                     **{k: {} for k in self.KINDS}, "complete_runs": {}}
        if path is not None and path.exists():
            try:
                loaded = json.loads(path.read_text())
            except (OSError, ValueError) as e:
                raise MigratorError(f"cannot read the id map {path}: {e}; move it away to start over "
                                    "(objects already copied are found again by their migrator.* tags)") from None
            if loaded.get("source") != source or loaded.get("target") != target:
                raise MigratorError(f"the id map {path} belongs to {loaded.get('source')} -> {loaded.get('target')}, "
                                    f"not {source} -> {target}; pass another --id-map")
            for k in (*self.KINDS, "complete_runs"):
                self.data[k].update(loaded.get(k, {}))
        self._last_save = 0.0

    def get(self, kind: str, old: str) -> str | None:
        return self.data[kind].get(old)

    def put(self, kind: str, old: str, new: str) -> None:
        with self.lock:
            self.data[kind][old] = new

    def drop(self, kind: str, old: str) -> None:
        with self.lock:
            self.data[kind].pop(old, None)
            if kind == "runs":
                self.data["complete_runs"].pop(old, None)

    def complete(self, old_run: str) -> None:
        with self.lock:
            self.data["complete_runs"][old_run] = True

    def is_complete(self, old_run: str) -> bool:
        return bool(self.data["complete_runs"].get(old_run))

    def save(self, *, every: float = 0.0) -> None:
        if self.path is None:
            return
        now = time.monotonic()
        if every and now - self._last_save < every:
            return
        with self.lock:
            text = json.dumps(self.data, indent=1, sort_keys=True)
            self._last_save = now
        write_private(self.path, text)

def default_id_map_path(source: Endpoint, target: Endpoint) -> Path:
    digest = hashlib.sha1(f"{source.label}\n{target.label}".encode()).hexdigest()[:10]
    return Path.cwd() / f"migrator-idmap-{digest}.json"
