"""Where backups live: a local folder, or any URI MLflow's artifact repositories can write (s3:// with
MLFLOW_S3_ENDPOINT_URL and the AWS variables, gs://, wasbs://, abfss://, sftp://, ...), reached through
the transfer layer (no storage client code of our own). Both kinds keep the same promises:

- a backup is visible only once complete. Locally it is staged in a hidden folder and renamed into place;
  remotely its files are uploaded first and manifest.json last, and `list`/`restore` take only folders
  with a manifest. What a killed run left is removed by the next run that holds the lock.
- one writer per destination. Locally an flock on DEST/.migrator.lock (the kernel drops it when the
  process dies); remotely a lock object DEST/migrator.lock holding an owner token, host, pid and expiry,
  refreshed while the run lasts and taken over by the next run once it has expired.
- artifacts are content-addressed objects DEST/objects/<sha256>, shared by every backup that
  references them (see backup/artifacts.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
import uuid
import weakref
from abc import ABC, abstractmethod
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ContextManager, Iterator

from ..errors import Locked, MigratorError, UsageError
from ..files import FILE_MODE
from ..stores import redact
from ..tempdirs import private_tempdir, process_alive, process_start
from ..transfer import repos
from . import manifest as mf

OBJECTS = "objects"
REMOTE_LOCK = "migrator.lock"
LOCK_TTL_ENV = "MIGRATOR_LOCK_TTL"  # seconds a remote lock lives without a refresh (default 900)
DEFAULT_LOCK_TTL = 900
LOCK_SETTLE = 0.5  # seconds between writing the lock object and reading it back (two writers: one wins)
# names backups get: <store>-<UTC time to the microsecond>Z
BACKUP_NAME = re.compile(r".+-\d{8}T\d{12}Z$")


class Destination(ABC):
    """Where backups live: a local folder or any artifact-repository URI. Every kind keeps the same promises,
    held by one test suite (tests/test_destinations.py) run over each: a backup appears (is listed, fetched,
    read) only once complete; a second writer is refused with exit 4 while the lock is held; what a killed run
    left is removed by the next run that holds the lock; artifact objects are content-addressed (sha256)."""

    remote: bool
    where: str  # how messages name it

    @abstractmethod
    def at(self, name: str) -> str:
        """How messages and `restore` name the backup `name` of this destination."""

    @abstractmethod
    def check(self) -> None:
        """Refuse a destination that cannot hold backups, before anything is written."""

    @abstractmethod
    def require_exists(self) -> None: ...

    @abstractmethod
    def writing(self) -> ContextManager[None]:
        """Create and lock the destination for a new backup; remove what killed runs left."""

    @abstractmethod
    def locked(self) -> ContextManager[None]:
        """The destination's lock, for retention and pruning."""

    @abstractmethod
    def list_backups(self) -> list[mf.Backup]:
        """Complete backups, newest first."""

    @abstractmethod
    def staging(self, name: str) -> ContextManager[Path]:
        """A private local folder that becomes the backup `name` only if the block succeeds."""

    @abstractmethod
    def delete(self, b: mf.Backup) -> None:
        """Remove a backup (its manifest first: a half-deleted backup is never listed)."""

    @abstractmethod
    def fetched(self, name: str) -> ContextManager[mf.Backup]:
        """The backup `name` as a local folder for the block (downloaded for a remote destination)."""

    @abstractmethod
    def read_file(self, b: mf.Backup, name: str, into: Path) -> Path: ...

    @abstractmethod
    def objects(self) -> dict[str, int]:
        """Content-addressed artifact objects: sha256 -> size."""

    @abstractmethod
    def put_object(self, sha: str, src: Path) -> None: ...

    @abstractmethod
    def object_file(self, sha: str, into: Path) -> Path: ...

    @abstractmethod
    def delete_object(self, sha: str) -> None: ...

    @abstractmethod
    def remove_stale_objects(self) -> None:
        """Partial object uploads of killed runs."""


def _holder_gone(held: dict[str, Any]) -> bool:
    """The lock's holder ran on this host and its process is gone (killed): its lock is taken over at once,
    as the kernel drops a local flock. A holder on another host keeps it until it expires."""
    if held.get("host") != socket.gethostname() or not isinstance(held.get("pid"), int):
        return False
    start = held.get("pid_start")
    return not process_alive(held["pid"], start if isinstance(start, str) else None)


def is_remote(dest: str | Path) -> bool:
    s = str(dest)
    return "://" in s and not s.startswith("file://")


def open_destination(dest: str | Path) -> Destination:
    s = str(dest)
    if is_remote(s):
        if s.startswith(repos.SERVED):
            raise MigratorError(f"--dest {s}: a backup cannot go through a tracking server's mlflow-artifacts:/; "
                                "give the storage URI itself (s3://..., gs://..., a folder)")
        return RemoteDestination(s.rstrip("/"))
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:/", s) and not s.startswith("file:"):
        raise UsageError(f"--dest {redact(s)} looks like a URI without its '//' (e.g. s3://bucket/path); write it "
                         "out in full, or give a folder path")
    root = repos.local_root(s)
    assert root is not None
    return LocalDestination(root.expanduser())


def split_backup(address: str | Path) -> tuple[Destination, str]:
    """A backup's address (DEST/NAME, a folder or URI as `backups list` shows) as its destination and name."""
    s = str(address).rstrip("/")
    if is_remote(s):
        if s.endswith("/" + mf.MANIFEST):
            s = s[: -len(mf.MANIFEST) - 1]
        parent, _, name = s.rpartition("/")
        if not name or parent.endswith(":/") or parent.endswith(":"):
            raise MigratorError(f"{redact(s)} is not a backup: give DEST/NAME as `migrator backups list DEST` shows")
        return RemoteDestination(parent), name
    p = repos.local_root(s)
    assert p is not None
    if p.is_file() and (p.parent / mf.MANIFEST).is_file():  # a file inside a backup stands for the backup
        p = p.parent
    return LocalDestination(p.parent), p.name


class LocalDestination(Destination):
    remote = False

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)

    def at(self, name: str) -> str:
        return str(self.path / name)

    def check(self) -> None:
        mf.check_destination(self.path)

    def require_exists(self) -> None:
        if not self.path.is_dir():
            raise MigratorError(f"backup folder {self.path} does not exist; check the path")

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Create (0700) and lock the destination; remove what killed runs left. A destination this run
        created is removed again if the run fails."""
        with mf.new_destination(self.path), mf.destination_lock(self.path):
            mf.remove_stale_staging(self.path)
            os.chmod(self.path, 0o700)
            yield

    @contextmanager
    def locked(self) -> Iterator[None]:
        self.require_exists()
        with mf.destination_lock(self.path):
            mf.remove_stale_staging(self.path)
            yield

    def list_backups(self) -> list[mf.Backup]:
        return mf.list_backups(self.path)

    @contextmanager
    def staging(self, name: str) -> Iterator[Path]:
        with mf.staging(self.path, name) as folder:
            yield folder

    def delete(self, b: mf.Backup) -> None:
        (b.path / mf.MANIFEST).unlink(missing_ok=True)  # first: a half-deleted backup is never listed
        shutil.rmtree(b.path)

    @contextmanager
    def fetched(self, name: str) -> Iterator[mf.Backup]:
        yield mf.load(self.path / name)

    def read_file(self, b: mf.Backup, name: str, into: Path) -> Path:
        return b.path / name

    # content-addressed artifact objects
    def objects(self) -> dict[str, int]:
        folder = self.path / OBJECTS
        if not folder.is_dir():
            return {}
        return {e.name: e.stat().st_size for e in os.scandir(folder) if e.is_file() and not e.name.startswith(".")}

    def put_object(self, sha: str, src: Path) -> None:
        folder = self.path / OBJECTS
        folder.mkdir(mode=0o700, exist_ok=True)
        part = folder / f".{sha}.{uuid.uuid4().hex[:8]}.part"
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            with open(src, "rb") as fin, os.fdopen(fd, "wb", closefd=False) as fout:
                shutil.copyfileobj(fin, fout, 1 << 20)
                fout.flush()
                os.fsync(fd)
        except BaseException:
            os.close(fd)
            part.unlink(missing_ok=True)
            raise
        os.close(fd)
        os.replace(part, folder / sha)

    def object_file(self, sha: str, into: Path) -> Path:
        return self.path / OBJECTS / sha

    def delete_object(self, sha: str) -> None:
        (self.path / OBJECTS / sha).unlink(missing_ok=True)

    def remove_stale_objects(self) -> None:
        folder = self.path / OBJECTS
        if folder.is_dir():
            for p in folder.glob(".*.part"):
                p.unlink(missing_ok=True)


class RemoteDestination(Destination):
    remote = True

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.where = redact(uri)
        self._repo: Any = None
        self._tmp: Path | None = None  # private temporary folder for lock objects (see _scratch)

    @property
    def repo(self) -> Any:
        if self._repo is None:
            self._repo = repos.repository(self.uri)
        return self._repo

    def at(self, name: str) -> str:
        return f"{self.where}/{name}"

    def _call(self, what: str, fn: Any, *args: Any, **kw: Any) -> Any:
        """One storage call; its failure becomes one line naming the destination."""
        try:
            return fn(*args, **kw)
        except MigratorError:
            raise
        except Exception as e:
            text = redact(str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__)
            raise MigratorError(f"cannot {what} {self.where}: {text}; check the URI, the credentials (the AWS_* "
                                "variables, MLFLOW_S3_ENDPOINT_URL, ...) and that the bucket exists") from None

    def _entries(self, path: str | None = None) -> list[Any]:
        return self._call("list", self.repo.list_artifacts, path)

    def check(self) -> None:
        self._entries()

    def require_exists(self) -> None:
        self._entries()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self.locked():
            yield

    @contextmanager
    def locked(self) -> Iterator[None]:
        with self._lock():
            self.remove_stale()
            yield

    def _names(self) -> list[str]:
        return sorted(e.path.rsplit("/", 1)[-1] for e in self._entries() if e.is_dir)

    def _has_manifest(self, name: str) -> bool:
        return any(not e.is_dir and e.path.rsplit("/", 1)[-1] == mf.MANIFEST for e in self._entries(name))

    def remove_stale(self) -> list[str]:
        """Backups a killed run began (its data, no manifest). Only the lock holder calls this."""
        gone = []
        for name in self._names():
            if BACKUP_NAME.match(name) and not self._has_manifest(name):
                self._call("clean up", self.repo.delete_artifacts, name)
                gone.append(name)
        return gone

    def _download(self, rel: str, into: Path) -> Path:
        """One file of the destination into the folder `into` (one request)."""
        from ..mlflow_api import download_file

        into.mkdir(parents=True, exist_ok=True, mode=0o700)
        local = into / rel.rsplit("/", 1)[-1]
        self._call("download from", download_file, self.repo, rel, str(local))
        return local

    def _download_folder(self, rel: str, into: Path) -> Path:
        into.mkdir(parents=True, exist_ok=True, mode=0o700)
        return Path(self._call("download from", self.repo.download_artifacts, rel, dst_path=str(into)))

    def list_backups(self) -> list[mf.Backup]:
        out = []
        tmp = private_tempdir("list")
        try:
            for name in self._names():
                if not BACKUP_NAME.match(name) or not self._has_manifest(name):
                    continue
                local = self._download(f"{name}/{mf.MANIFEST}", tmp / name)
                try:
                    out.append(mf.parse(local.read_text(), Path(name), self.at(name)))
                except MigratorError:
                    continue
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return sorted(out, key=lambda b: (b.created, b.path.name), reverse=True)

    @contextmanager
    def staging(self, name: str) -> Iterator[Path]:
        """A private local folder; on success its files are uploaded to DEST/name, manifest.json last."""
        tmp = private_tempdir("backup")
        try:
            folder = tmp / name
            folder.mkdir(mode=0o700)
            yield folder
            if name in self._names():
                raise MigratorError(f"backup {self.at(name)} already exists")
            files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != mf.MANIFEST)
            for p in files + [folder / mf.MANIFEST]:
                parent = p.parent.relative_to(tmp).as_posix()
                self._call("upload to", self.repo.log_artifact, str(p), parent)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def delete(self, b: mf.Backup) -> None:
        name = b.path.name
        self._call("delete from", self.repo.delete_artifacts, f"{name}/{mf.MANIFEST}")
        self._call("delete from", self.repo.delete_artifacts, name)

    @contextmanager
    def fetched(self, name: str) -> Iterator[mf.Backup]:
        """The backup downloaded into a private temporary folder (its sha256 is checked from there)."""
        if not self._has_manifest(name):
            raise MigratorError(f"{self.at(name)} is not a complete migrator backup (no {mf.MANIFEST}); give a "
                                f"backup that `migrator backups list {self.where}` shows")
        tmp = private_tempdir("restore")
        try:
            local = self._download_folder(name, tmp)
            b = mf.load(local)
            b.where = self.at(name)
            yield b
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def read_file(self, b: mf.Backup, name: str, into: Path) -> Path:
        """A file of a listed backup (e.g. its artifact index), downloaded into `into`."""
        return self._download(f"{b.path.name}/{name}", into)

    # content-addressed artifact objects
    def objects(self) -> dict[str, int]:
        if not any(e.is_dir and e.path.rsplit("/", 1)[-1] == OBJECTS for e in self._entries()):
            return {}
        return {f.path.rsplit("/", 1)[-1]: f.size or 0
                for f in self._call("list", lambda: list(repos.walk(self.repo, OBJECTS)))}

    def put_object(self, sha: str, src: Path) -> None:
        self._call("upload to", repos.put, self.repo, None, src, f"{OBJECTS}/{sha}")

    @contextmanager
    def _scratch(self) -> Iterator[Path]:
        """A fresh folder inside this destination's private temporary folder (one per process)."""
        if self._tmp is None:
            self._tmp = private_tempdir("remote")
            weakref.finalize(self, shutil.rmtree, self._tmp, True)
        d = self._tmp / uuid.uuid4().hex
        d.mkdir(mode=0o700)
        try:
            yield d
        finally:
            shutil.rmtree(d, ignore_errors=True)


    def object_file(self, sha: str, into: Path) -> Path:
        return self._download(f"{OBJECTS}/{sha}", into)

    def delete_object(self, sha: str) -> None:
        self._call("delete from", self.repo.delete_artifacts, f"{OBJECTS}/{sha}")

    def remove_stale_objects(self) -> None:
        """Remote uploads are whole objects: nothing partial to remove."""

    # the lock object
    def _read_lock(self) -> dict[str, Any] | None:
        if not any(not e.is_dir and e.path.rsplit("/", 1)[-1] == REMOTE_LOCK for e in self._entries()):
            return None
        with self._scratch() as tmp:
            try:
                held = json.loads(self._download(REMOTE_LOCK, tmp).read_text())
            except (ValueError, MigratorError):
                return None  # a damaged or vanished lock object holds nobody
            return held if isinstance(held, dict) else None

    def _write_lock(self, token: str, ttl: int, started: str) -> None:
        with self._scratch() as tmp:
            body = {"owner": token, "host": socket.gethostname(), "pid": os.getpid(),
                    "pid_start": process_start(os.getpid()), "started_utc": started,
                    "expires_unix": time.time() + ttl, "tool": "migrator"}
            (tmp / REMOTE_LOCK).write_text(json.dumps(body))
            self._call("write the lock object to", self.repo.log_artifact, str(tmp / REMOTE_LOCK), None)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        ttl = int(os.environ.get(LOCK_TTL_ENV) or DEFAULT_LOCK_TTL)
        held = self._read_lock()
        if held is not None and float(held.get("expires_unix", 0)) > time.time() and not _holder_gone(held):
            until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(float(held["expires_unix"])))
            raise Locked(f"another migrator run (pid {held.get('pid')} on {held.get('host')}, since "
                         f"{held.get('started_utc')}) is writing backups to {self.where}; wait for it to finish "
                         f"(if it died, its lock expires at {until})")
        token = uuid.uuid4().hex
        started = mf.utc_now().isoformat().replace("+00:00", "Z")
        self._write_lock(token, ttl, started)
        time.sleep(LOCK_SETTLE)
        mine = (self._read_lock() or {}).get("owner") == token
        if not mine:
            raise Locked(f"another migrator run took the lock of {self.where} at the same moment; wait for it "
                         "to finish")
        stop = threading.Event()

        def refresh() -> None:
            while not stop.wait(max(1.0, ttl / 3)):
                try:
                    self._write_lock(token, ttl, started)
                except MigratorError:
                    continue  # a missed refresh is retried; the lock lives ttl seconds

        keeper = threading.Thread(target=refresh, name="migrator-lock", daemon=True)
        keeper.start()
        try:
            yield
        finally:
            stop.set()
            keeper.join()
            try:
                if (self._read_lock() or {}).get("owner") == token:
                    self.repo.delete_artifacts(REMOTE_LOCK)
            except Exception:  # the lock expires by itself
                pass

