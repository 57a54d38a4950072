"""Incremental, content-addressed artifact backups (restic's idea, on MLflow's artifact repositories).

Every file of the artifact store becomes the object DEST/objects/<sha256>, written once and shared by
every backup whose index references it; each backup holds `artifacts.jsonl` (path, sha256, size per
line), so a nightly backup uploads only new or changed files. Pruning deletes the objects that no kept
backup references. Sources and restore targets are any artifact URI (through transfer.repos).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import MigratorError
from ..files import open_private, sha256_file
from ..stores import redact
from ..tempdirs import private_tempdir
from ..transfer import repos
from . import manifest as mf

INDEX = "artifacts.jsonl"


def open_source(uri: str) -> repos.ArtifactStore:
    """The artifact root to back up, checked before anything is written: a folder, or a URI whose
    repository opens and lists."""
    root = repos.local_root(uri)
    if root is not None:
        root = root.expanduser()
        if not root.is_dir():
            raise MigratorError(f"--artifacts {uri} is not a folder; give the artifact root the server uses "
                                "(e.g. ./mlartifacts) or its URI (s3://bucket/path, ...)")
        return repos.ArtifactStore(str(root.resolve()), None, root.resolve())
    if uri.startswith(repos.SERVED):
        raise MigratorError(f"--artifacts {uri}: give the storage the tracking server serves from (its "
                            "--artifacts-destination folder or URI), not mlflow-artifacts:/")
    src = repos.ArtifactStore.open(uri)
    try:
        src.repo.list_artifacts(None)
    except Exception as e:
        raise MigratorError(f"cannot list the artifact store {redact(uri)}: {str(e).splitlines()[0] if str(e) else e}; "
                            "check the URI and the credentials") from None
    return src


@dataclass
class Counts:
    files: int = 0
    bytes: int = 0
    new_files: int = 0
    new_bytes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _bounded(pool: ThreadPoolExecutor, items: Iterable[Any], fn: Callable[[Any], Any], limit: int) -> Iterator[Any]:
    """fn over items on the pool with at most `limit` in flight (memory stays flat in the file count)."""
    pending: set[Future] = set()
    for item in items:
        pending.add(pool.submit(fn, item))
        if len(pending) >= limit:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                yield f.result()
    for f in pending:
        yield f.result()


def backup_artifacts(src: repos.ArtifactStore, dest: Any, folder: Path, *, jobs: int = 4,
                     progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Every file of the artifact store `src` (see open_source) as an object of `dest`; the index goes
    into `folder`."""
    dest.remove_stale_objects()
    have = dest.objects()
    claimed: set[str] = set()
    counts = Counts()
    tmp = private_tempdir("artifacts")

    def one(f: repos.RemoteFile) -> dict[str, Any]:
        scratch = tmp / f"t{threading.get_ident()}"
        local = src.fetch(f.path, scratch)
        try:
            before = os.stat(local)
            sha = sha256_file(local)
            size = before.st_size
            with counts.lock:
                new = sha not in claimed and have.get(sha) != size
                claimed.add(sha)
            if new:
                dest.put_object(sha, local)
            if src.root is not None:
                after = os.stat(local)
                if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
                    raise MigratorError(f"artifact {f.path} changed while it was backed up; run the backup again")
            with counts.lock:
                counts.files += 1
                counts.bytes += size
                counts.new_files += new
                counts.new_bytes += size if new else 0
            if progress is not None:
                progress(size)
            return {"path": f.path, "sha256": sha, "size": size}
        except FileNotFoundError:
            raise MigratorError(f"artifact {f.path} vanished while it was backed up; run the backup again") from None
        finally:
            if src.root is None:
                shutil.rmtree(scratch, ignore_errors=True)

    try:
        with open_private(folder / INDEX) as out, ThreadPoolExecutor(max(1, jobs), "migrator-backup") as pool:
            for entry in _bounded(pool, src.walk(), one, 4 * max(1, jobs)):
                out.write(json.dumps(entry, sort_keys=True) + "\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"artifacts_index": INDEX, "artifacts_source": src.uri,
            "artifacts_files": counts.files, "artifacts_bytes": counts.bytes,
            "artifacts_new_files": counts.new_files, "artifacts_new_bytes": counts.new_bytes}


def read_index(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                e = json.loads(line)
                rel = e["path"]
                if not isinstance(rel, str) or rel.startswith("/") or ".." in rel.split("/"):
                    raise ValueError(f"path {rel!r}")
                yield e
            except (ValueError, KeyError, TypeError) as err:
                raise MigratorError(f"the artifact index {path.name} is damaged at line {n} ({err}); this backup's "
                                    "artifacts cannot be trusted") from None


def referenced(dest: Any, backups: list[mf.Backup]) -> set[str] | None:
    """Objects the given backups reference; None when one index cannot be read (then nothing is pruned)."""
    refs: set[str] = set()
    tmp = private_tempdir("index")
    try:
        for b in backups:
            name = b.manifest.artifacts_index
            if not name:
                continue
            try:
                refs.update(e["sha256"] for e in read_index(dest.read_file(b, name, tmp / b.path.name)))
            except (MigratorError, OSError):
                return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return refs


def prune_objects(dest: Any, kept: list[mf.Backup]) -> int:
    """Delete the objects no kept backup references; returns how many went."""
    refs = referenced(dest, kept)
    if refs is None:
        return 0
    gone = [sha for sha in dest.objects() if sha not in refs]
    for sha in gone:
        dest.delete_object(sha)
    return len(gone)


def check_objects(dest: Any, b: mf.Backup, *, deep: bool = True, jobs: int = 4) -> list[str]:
    """Every object the backup's index references is present with its size (and `deep`, its sha256)."""
    name = b.manifest.artifacts_index
    if not name:
        return []
    have = dest.objects()
    first: dict[str, dict[str, Any]] = {}  # one check per object, named by the first path that uses it
    problems = []
    for e in read_index(b.path / name):
        sha = e["sha256"]
        if sha in first:
            continue
        first[sha] = e
        if sha not in have:
            problems.append(f"artifact {e['path']}: object objects/{sha} is missing from the destination")
        elif have[sha] != e["size"]:
            problems.append(f"artifact {e['path']}: object objects/{sha} has {have[sha]} bytes, the index says "
                            f"{e['size']}")
    if not deep:
        return problems
    tmp = private_tempdir("check")

    def one(e: dict[str, Any]) -> str | None:
        scratch = tmp / uuid.uuid4().hex
        local = dest.object_file(e["sha256"], scratch)
        try:
            return None if sha256_file(local) == e["sha256"] else (
                f"artifact {e['path']}: object objects/{e['sha256']} does not match its sha256")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    try:
        wanted = (e for sha, e in first.items() if have.get(sha) == e["size"])
        with ThreadPoolExecutor(max(1, jobs), "migrator-check") as pool:
            problems += [p for p in _bounded(pool, wanted, one, 4 * max(1, jobs)) if p]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return problems


def restore_artifacts(dest: Any, b: mf.Backup, to: str, *, jobs: int = 4) -> int:
    """Put every artifact of the backup back under the artifact root `to` (a folder or URI), each file's
    sha256 checked before it is written. Returns the number of files."""
    target = repos.ArtifactStore.open(to)
    tmp = private_tempdir("restore-artifacts")
    done = [0]

    def one(e: dict[str, Any]) -> None:
        scratch = tmp / f"t{threading.get_ident()}"
        local = dest.object_file(e["sha256"], scratch)
        try:
            if sha256_file(local) != e["sha256"]:
                raise MigratorError(f"backup {b.where} is corrupt: the object of artifact {e['path']} "
                                    f"(objects/{e['sha256']}) does not match its sha256; restore stopped there")
            target.put(local, e["path"])
            done[0] += 1
        finally:
            if dest.remote:
                shutil.rmtree(scratch, ignore_errors=True)

    try:
        with ThreadPoolExecutor(max(1, jobs), "migrator-restore") as pool:
            for _ in _bounded(pool, read_index(b.path / str(b.manifest.artifacts_index)), one, 4 * max(1, jobs)):
                pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return done[0]
