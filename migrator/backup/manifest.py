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
from ..files import fsync_dir, fsync_file, open_private, sha256_file
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


@dataclass(frozen=True)
class DatabaseDump:
    """One database of a backup: the tracking store's, or the basic-auth database's (the manifest's `auth_*`
    fields)."""

    kind: str  # a kind of store (stores.KINDS): how it was dumped and where it can be restored
    file: str
    compression: str
    schema_revision: str | None
    tables: dict[str, int]
    stores: dict[str, str | None]  # the MLflow stores it holds, with their revisions
    pg_format: str | None
    size: int | None
    sha256: str | None
    source: str | None

    @classmethod
    def read(cls, m: dict[str, Any], prefix: str = "") -> "DatabaseDump | None":
        if not m.get(f"{prefix}file"):
            return None
        return cls(m.get(f"{prefix}kind", m.get("kind", "")), m[f"{prefix}file"], m.get(f"{prefix}compression", ""),
                   m.get(f"{prefix}schema_revision"), dict(m.get(f"{prefix}tables") or {}),
                   dict(m.get(f"{prefix}stores") or {}), m.get(f"{prefix}pg_format"), m.get(f"{prefix}size"),
                   m.get(f"{prefix}sha256"), m.get(f"{prefix}source"))


class Manifest:
    """manifest.json of one backup, typed: the only reader of its keys. `data` is the JSON object itself
    (printed by --json and `backups list --json`, written by `write_manifest`)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @property
    def database(self) -> DatabaseDump:
        dump = DatabaseDump.read(self.data)
        assert dump is not None  # parse() requires `file`
        return dump

    @property
    def auth(self) -> DatabaseDump | None:
        """The basic-auth database the backup holds beside the tracking store (None: it holds none)."""
        return DatabaseDump.read(self.data, "auth_")

    @property
    def created_utc(self) -> str:
        return str(self.data["created_utc"])

    @property
    def created(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.created_utc.replace("Z", "+00:00"))

    @property
    def verified(self) -> bool:
        return bool(self.data.get("verified"))

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        return dict(self.data.get("files") or {})

    @property
    def artifacts_index(self) -> str | None:
        """The index of content-addressed artifact objects (None: no artifacts, or an old tarball)."""
        return self.data.get("artifacts_index")

    @property
    def artifacts_tarball(self) -> str | None:
        """Backups before content-addressed artifacts kept the artifact root as one tarball."""
        return self.data.get("artifacts_file")

    @property
    def has_artifacts(self) -> bool:
        return bool(self.artifacts_index or self.artifacts_tarball)

    @property
    def artifacts_files(self) -> int:
        return int(self.data.get("artifacts_files", 0))

    @property
    def artifacts_bytes(self) -> int:
        return int(self.data.get("artifacts_bytes", 0))

    @property
    def artifacts_new_files(self) -> int:
        return int(self.data.get("artifacts_new_files", 0))

    @property
    def artifacts_new_bytes(self) -> int:
        return int(self.data.get("artifacts_new_bytes", 0))

    @property
    def total_bytes(self) -> int:
        """What the backup wrote: its databases and its new artifact bytes (an old tarball's size)."""
        auth = self.auth
        return ((self.database.size or 0) + (auth.size or 0 if auth is not None else 0)
                + int(self.data.get("artifacts_size", self.artifacts_new_bytes)))

    def named_files(self) -> list[tuple[str, int | None, str | None]]:
        """(name, size, sha256) of the database, auth and tarball files, for manifests without a per-file list."""
        out = []
        for key in ("", "artifacts_", "auth_"):
            name = self.data.get(f"{key}file")
            if name:
                out.append((name, self.data.get(f"{key}size"), self.data.get(f"{key}sha256")))
        return out


def assemble(meta: dict[str, Any], database: dict[str, Any], auth: dict[str, Any] | None,
             artifacts: dict[str, Any] | None, files: dict[str, dict[str, Any]]) -> Manifest:
    """A new backup's manifest from what each part reported (a kind's dump, the artifact objects) and the
    per-file list; each database's size and sha256 come from that list (no file is read twice)."""
    data = {**meta, **database}
    data["size"], data["sha256"] = summarize(files, database["file"])
    if auth is not None:
        data.update({f"auth_{k}": v for k, v in auth.items()})
        data["auth_size"], data["auth_sha256"] = summarize(files, auth["file"])
    data.update(artifacts or {})
    data.update({"files": files, "verified": True})
    return Manifest(data)


def holds_auth_store(database: dict[str, Any]) -> bool:
    """A kind's dump report names the MLflow stores the database holds: is the basic-auth store one?"""
    return "auth" in (database.get("stores") or {})


@dataclass
class Backup:
    path: Path  # the local folder (for a listed remote backup: a path holding only its name)
    manifest: Manifest
    where: str = ""  # how messages name it: the folder, or DEST-URI/NAME

    def __post_init__(self) -> None:
        self.where = self.where or str(self.path)

    @property
    def created(self) -> dt.datetime:
        return self.manifest.created

    @property
    def db_file(self) -> Path:
        return self.path / self.manifest.database.file

    def auth_part(self) -> "Backup | None":
        """The basic-auth database the backup holds beside the tracking store, as a backup of its own."""
        auth = self.manifest.auth
        if auth is None:
            return None
        sub = {k[len("auth_"):]: v for k, v in self.manifest.data.items() if k.startswith("auth_")}
        return Backup(self.path, Manifest({**sub, "created_utc": self.manifest.created_utc}), self.where)

    def compare(self, revision: str | None, counts: dict[str, int]) -> list[str]:
        """What a restore of this backup's database shows that its manifest does not say."""
        want = self.manifest.database
        out = []
        if revision != want.schema_revision:
            out.append(f"schema revision {revision} != manifest {want.schema_revision}")
        for t in sorted(set(want.tables) | set(counts)):
            if want.tables.get(t) != counts.get(t):
                out.append(f"{t}: {counts.get(t)} rows, manifest says {want.tables.get(t)}")
        return out


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


def write_manifest(folder: Path, manifest: Manifest) -> None:
    with open_private(folder / MANIFEST) as f:
        json.dump(manifest.data, f, indent=2, sort_keys=True)
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
        text = path.read_text()
    except UnicodeDecodeError as e:
        raise MigratorError(f"the manifest of {path.parent} is damaged ({e}); this backup cannot be trusted") from None
    return parse(text, path.parent, str(path.parent))


def parse(text: str, folder: Path, where: str) -> Backup:
    """A manifest's text, checked for the shape restore relies on."""
    try:
        manifest = json.loads(text)
        if not isinstance(manifest, dict):
            raise ValueError(f"a JSON {type(manifest).__name__}, not an object")
        for key in ("file", "sha256", "created_utc", "kind"):
            if not isinstance(manifest.get(key), str):
                raise ValueError(f"{key!r} is missing or not a string")
        for key in ("tables", "files"):
            if not isinstance(manifest.get(key, {}), dict):
                raise ValueError(f"{key!r} is not an object")
        Manifest(manifest).created  # noqa: B018  (a bad created_utc is damage too)
        names = [manifest["file"], *(manifest.get(k) for k in ("auth_file", "artifacts_file", "artifacts_index"))]
        if any(n is not None and (not isinstance(n, str) or Path(n).name != n) for n in names):
            raise ValueError("a file name in it is not a plain file name")
        if any(Path(n).is_absolute() or ".." in Path(n).parts for n in manifest.get("files", {})):
            raise ValueError("'files' names a path outside the backup")
    except ValueError as e:
        raise MigratorError(f"the manifest of {where} is damaged ({e}); this backup cannot be trusted") from None
    return Backup(folder, Manifest(manifest), where)


def summarize(files: dict[str, dict[str, Any]], name: str) -> tuple[int, str]:
    """Size and sha256 of one entry of a backup (a file, or a pg_dump directory archive) from the
    per-file list, equal to size_path and sha256_path of it (so no file is read twice)."""
    if name in files:
        return files[name]["size"], files[name]["sha256"]
    inside = sorted((rel[len(name) + 1:], v) for rel, v in files.items() if rel.startswith(name + "/"))
    lines = "".join(f"{rel} {v['sha256']}\n" for rel, v in inside)
    return sum(v["size"] for _, v in inside), hashlib.sha256(lines.encode()).hexdigest()


def file_list(folder: Path) -> dict[str, dict[str, Any]]:
    """Every file of a staged backup (the manifest aside) with its size and sha256, for the manifest."""
    return {p.relative_to(folder).as_posix(): {"size": p.stat().st_size, "sha256": sha256_file(p)}
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST}


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
    """sha256 and size of every file the manifest names; raise, naming the file, if any differs."""
    files = b.manifest.files
    if files:  # one entry per file (the files of a pg_dump directory archive each named)
        for rel, want in sorted(files.items()):
            _check_one(b, rel, b.path / rel, want.get("size"), want.get("sha256"), sha256_file)
        return
    for name, size, sha in b.manifest.named_files():
        _check_one(b, name, b.path / name, size, sha, sha256_path)


def _check_one(b: Backup, rel: str, f: Path, size: Any, sha: Any, digest: Any) -> None:
    if not f.exists():
        raise MigratorError(f"backup {b.where} is incomplete: {rel} is missing; nothing was restored")
    got = size_path(f)
    if size is not None and got != size:
        raise MigratorError(f"backup {b.where} is corrupt: {rel} has {got} bytes, the manifest says {size}; "
                            "nothing was restored")
    if digest(f) != sha:
        raise MigratorError(f"backup {b.where} is corrupt: the sha256 of {rel} does not match its manifest; "
                            "nothing was restored")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
