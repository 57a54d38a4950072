"""Backup folders and their manifest.json; atomic creation; the destination lock."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..errors import MigratorError
from ..files import open_private, sha256_file
from ..locks import file_lock

MANIFEST = "manifest.json"
LOCK = ".migrator.lock"



def sha256_path(path: Path) -> str:
    """sha256 of a file; of a folder (a pg_dump directory archive), of its sorted `relative-path sha256` lines."""
    if not path.is_dir():
        return sha256_file(path)
    lines = [f"{p.relative_to(path).as_posix()} {sha256_file(p)}\n" for p in sorted(path.rglob("*")) if p.is_file()]
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def size_path(path: Path) -> int:
    if not path.is_dir():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


@dataclass
class Backup:
    path: Path
    manifest: dict[str, Any]

    @property
    def created(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.manifest["created_utc"].replace("Z", "+00:00"))

    @property
    def db_file(self) -> Path:
        return self.path / self.manifest["file"]


@contextmanager
def destination_lock(dest: Path) -> Iterator[None]:
    """flock on DEST/.migrator.lock: a second run exits 4; the kernel drops the lock of a dead process."""
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    with file_lock(dest / LOCK, f"is writing backups to {dest}"):
        yield


def check_destination(dest: Path) -> None:
    """A --dest that cannot hold backups is refused before anything is written."""
    probe = dest
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if probe == dest and not dest.is_dir():
        raise MigratorError(f"--dest {dest} is a file, not a folder; give the folder that holds the backups")
    if probe != dest and not probe.is_dir():
        raise MigratorError(f"--dest {dest}: {probe} is a file, not a folder; choose another path")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise MigratorError(f"--dest {dest}: {probe} is not writable (read-only file system or permissions); "
                            "choose a writable folder")


@contextmanager
def new_destination(dest: Path) -> Iterator[None]:
    """A DEST created by this run is removed again when the run fails (nothing is left behind)."""
    existed = dest.exists()
    try:
        yield
    except BaseException:
        if not existed:
            try:
                os.rmdir(dest)  # only while empty: another run's lock or backups keep it
            except OSError:
                pass
        raise


def remove_stale_staging(dest: Path) -> list[str]:
    """Staging folders of killed runs (only one run holds the destination lock: every .tmp-* is stale)."""
    gone = []
    for p in dest.glob(".tmp-*"):
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
            gone.append(p.name)
    return gone


@contextmanager
def staging(dest: Path, name: str) -> Iterator[Path]:
    """A hidden folder that becomes DEST/name (fsynced, renamed) only if the block succeeds."""
    tmp = dest / f".tmp-{name}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(mode=0o700)
    try:
        yield tmp
        for p in tmp.iterdir():
            if p.is_dir():  # a pg_dump directory archive
                os.chmod(p, 0o700)
                for f in p.rglob("*"):
                    os.chmod(f, 0o600)
                    fsync_file(f)
                fsync_dir(p)
            else:
                os.chmod(p, 0o600)
                fsync_file(p)
        fsync_dir(tmp)
        final = dest / name
        if final.exists():
            raise MigratorError(f"backup {final} already exists")
        os.rename(tmp, final)
        fsync_dir(dest)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    with open_private(folder / MANIFEST) as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())


def load(folder: Path) -> Backup:
    """The backup in `folder` (a file inside a backup folder stands for its folder)."""
    if folder.is_file() and folder.name != MANIFEST and (folder.parent / MANIFEST).is_file():
        folder = folder.parent
    path = folder / MANIFEST if folder.is_dir() else folder
    if not path.exists():
        raise MigratorError(f"{folder} is not a migrator backup (no {MANIFEST}); give a folder that "
                            "`migrator backups list` shows")
    try:
        manifest = json.loads(path.read_text())
        if not isinstance(manifest, dict):
            raise ValueError(f"a JSON {type(manifest).__name__}, not an object")
        for key in ("file", "sha256", "created_utc", "kind"):
            if not isinstance(manifest.get(key), str):
                raise ValueError(f"{key!r} is missing or not a string")
        if not isinstance(manifest.get("tables", {}), dict):
            raise ValueError("'tables' is not an object")
        Backup(path.parent, manifest).created  # noqa: B018  (a bad created_utc is damage too)
        if Path(manifest["file"]).name != manifest["file"]:
            raise ValueError("'file' is not a plain file name")
    except (ValueError, UnicodeDecodeError) as e:
        raise MigratorError(f"the manifest of {path.parent} is damaged ({e}); this backup cannot be trusted") from None
    return Backup(path.parent, manifest)


def list_backups(dest: Path) -> list[Backup]:
    """Complete backups in DEST, newest first (hidden staging folders are never listed)."""
    if not dest.is_dir():
        raise MigratorError(f"backup folder {dest} does not exist; check the path")
    out = []
    for p in dest.iterdir():
        if p.name.startswith(".") or not p.is_dir() or not (p / MANIFEST).exists():
            continue
        try:
            out.append(load(p))
        except MigratorError:
            continue
    return sorted(out, key=lambda b: (b.created, b.path.name), reverse=True)


def check_integrity(b: Backup) -> None:
    """sha256 and size of every file named by the manifest; raise if any differs."""
    for key in ("", "artifacts_", "auth_"):
        name = b.manifest.get(f"{key}file")
        if not name:
            continue
        f = b.path / name
        if not f.exists():
            raise MigratorError(f"backup {b.path} is incomplete: {name} is missing; nothing was restored")
        size = size_path(f)
        if size != b.manifest.get(f"{key}size", size):
            raise MigratorError(f"backup {b.path} is corrupt: {name} has {size} bytes, the manifest "
                                f"says {b.manifest[f'{key}size']}; nothing was restored")
        if sha256_path(f) != b.manifest[f"{key}sha256"]:
            raise MigratorError(f"backup {b.path} is corrupt: the sha256 of {name} does not match its manifest; "
                                "nothing was restored")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
