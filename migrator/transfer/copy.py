"""`migrator artifacts copy` and `artifacts verify`: every artifact a store references, copied from its
old place to its new one (the same prefix rules as --rewrite-artifacts) through MLflow's artifact
repositories, resumable, and proven present afterwards.

Resuming: each copied file is appended to a JSON-lines manifest (path, size, sha256, both ends); a rerun
skips a file the destination already holds with the size and sha256 the manifest (or, without an entry,
a fresh hash of both sides) says. The source is only read.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import stat
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence
from urllib.parse import urlparse

from ..artifacts import Rule, unknown_uri_columns
from ..errors import MigratorError, UsageError
from ..files import open_private, sha256_file, sync_folders, writable_parent
from ..outcome import NULL_PROGRESS, Outcome, Progress
from ..stores import Store
from . import repos
from .locations import Location, roots, store_locations
from .repos import ArtifactStore


@dataclass
class ArtifactResult(Outcome):
    manifest: str | None
    dry_run: bool
    locations: int = 0
    roots: int = 0
    files: int = 0
    bytes: int = 0
    copied: int = 0
    copied_bytes: int = 0
    skipped: int = 0
    empty: int = 0  # locations nothing was ever written to (runs without artifacts)
    missing: list[dict[str, str]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    differences: list[dict[str, str]] = field(default_factory=list)  # verify
    synced: bool = False  # the files written to local folders were flushed to disk before the summary
    seconds: float = 0.0
    unknown_columns: list[str] = field(default_factory=unknown_uri_columns)  # named, never skipped in silence

    @property
    def ok(self) -> bool:
        return not (self.missing or self.failed or self.differences)


    @property
    def failure(self) -> str | None:
        if self.ok:
            return None
        parts = [f"{len(x)} {what}" for x, what in ((self.missing, "missing source location(s)"),
                                                     (self.failed, "file(s) that could not be copied"),
                                                     (self.differences, "missing or different file(s)")) if x]
        return ", ".join(parts) + " (listed above); the rest is in place. Fix the cause and run the same command again"

    @property
    def failure_lines(self) -> list[str]:
        return [f"{d.get('owner', '')}: {d['path']}: {d['problem']}" for d in self.missing + self.failed + self.differences]

    def as_dict(self) -> dict[str, Any]:
        return {**{k: v for k, v in self.__dict__.items() if k != "seconds"}, "ok": self.ok,
                "seconds": round(self.seconds, 3)}


def _plan(store: Store, rules: Sequence[Rule], artifacts_destination: str | None) -> tuple[list[Location], list[Location]]:
    if not rules:
        raise UsageError("give the rules that say where the artifacts go: --from OLD --to NEW "
                         "(--rewrite-artifacts OLD=NEW with verify, --move-artifacts OLD=NEW with sqlite-to-pg)")
    _check_served_from(artifacts_destination)
    locs = [loc for loc in store_locations(store, rules) if loc.new != loc.uri]
    for loc in locs:
        if loc.new.startswith(repos.SERVED):
            raise UsageError(f"{loc.uri} would move to {loc.new}: give the new concrete store (a folder, s3://, "
                             "gs://, ...), not mlflow-artifacts:/, which only a tracking server resolves")
        repos.resolve(loc.uri, artifacts_destination)  # fails early when --artifacts-destination is needed
    return locs, roots(locs)


def _check_served_from(artifacts_destination: str | None) -> None:
    """--artifacts-destination names the old server's folder: one that does not exist is a mistake in the
    command, not thousands of missing artifacts."""
    root = repos.local_root(artifacts_destination) if artifacts_destination else None
    if root is not None and not root.expanduser().is_dir():
        raise MigratorError(f"--artifacts-destination {artifacts_destination} is not a folder here; give the folder "
                            "the old server was started with (`mlflow server --artifacts-destination`, default "
                            "./mlartifacts where it ran)")


def default_manifest(store: Store, rules: Sequence[Rule]) -> Path:
    digest = hashlib.sha1((store.redacted + "\n" + "\n".join(f"{r.old}={r.new}" for r in rules)).encode()).hexdigest()
    return Path.cwd() / f"migrator-artifacts-{digest[:10]}.jsonl"


def _check_manifest(path: Path) -> None:
    """A --manifest that exists must be one of ours (JSON lines with src/dst): never append to another file."""
    if not path.exists():
        return
    if path.is_dir():
        raise MigratorError(f"--manifest {path} is a folder; give a file path (or leave --manifest out)")
    with open(path, "rb") as f:
        head = f.read(4096)
    first = next((line for line in head.splitlines() if line.strip()), b"")
    try:
        ok = not first or ("dst" in (e := json.loads(first)) and "src" in e)
    except (ValueError, TypeError):
        ok = False
    if not ok:
        raise MigratorError(f"--manifest {path} is not a migrator artifact manifest (JSON lines with src and dst); "
                            "give another path, or leave --manifest out")


def _load_manifest(path: Path) -> dict[str, tuple[int, str]]:
    done: dict[str, tuple[int, str]] = {}
    if not path.exists():
        return done
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            e = json.loads(line)
            done[e["dst"]] = (int(e["size"]), e["sha256"])
        except (ValueError, KeyError, TypeError):
            continue  # a line a killed run did not finish
    return done


def _under(locs: list[Location], root: Location) -> dict[str, Location]:
    """The locations inside `root` by their path relative to it ('' for the root itself)."""
    base = root.uri.rstrip("/")
    out: dict[str, Location] = {}
    for loc in locs:
        uri = loc.uri.rstrip("/")
        if uri == base or uri.startswith(base + "/"):
            out.setdefault(uri[len(base):].lstrip("/"), loc)
    return out


def _nested(root: Location, rts: list[Location]) -> tuple[str, ...]:
    """Paths (relative to `root`) of the other roots inside it: their files go where their own rule sends
    them, never also where `root`'s does (the longest prefix wins, as in the rewrite)."""
    base = root.uri.rstrip("/")
    return tuple(r.uri.rstrip("/")[len(base) + 1:] for r in rts
                 if r is not root and r.uri.rstrip("/").startswith(base + "/"))


def _own_files(src: ArtifactStore, nested: tuple[str, ...]) -> Iterator[Any]:
    """The source's listing without the files of nested roots."""
    for f in src.listing():
        if not any(f.path == n or f.path.startswith(n + "/") for n in nested):
            yield f


@dataclass
class _Root:
    root: Location
    src: ArtifactStore
    bytes: int
    nested: tuple[str, ...] = ()

    def listing(self) -> Iterator[Any]:
        return _own_files(self.src, self.nested)


def _survey(locs: list[Location], rts: list[Location], artifacts_destination: str | None,
            result: ArtifactResult) -> list[_Root]:
    """One listing of every root's source: the files and bytes each holds (added to `result`), and each
    location with nothing under it recorded as missing (where the store says something was written) or
    empty. Only counts are kept, never the listing: memory does not grow with the number of files."""
    out: list[_Root] = []
    for root in rts:
        src = ArtifactStore.open(repos.resolve(root.uri, artifacts_destination))
        nested = _nested(root, rts)
        subs = {k: v for k, v in _under(locs, root).items() if not any(k == n or k.startswith(n + "/") for n in nested)}
        found: set[str] = set()
        n = size = 0
        for f in _own_files(src, nested):
            n += 1
            size += f.size or 0
            if len(found) < len(subs):
                parts = f.path.split("/")
                for i in range(len(parts) + 1):  # the file's folders from the root down, and the file itself
                    prefix = "/".join(parts[:i])
                    if prefix in subs:
                        found.add(prefix)
        for sub, loc in subs.items():
            if sub in found:
                continue
            if loc.expected:
                result.missing.append({"owner": loc.owner, "path": loc.uri, "problem": "no artifacts at the source "
                                       "(the folder is gone: deleted by `mlflow gc`, a lost disk, or moved by hand)"})
            else:
                result.empty += 1
        result.files += n
        result.bytes += size
        if n:
            out.append(_Root(root, src, size, nested))
    return out


def _check_destinations(surveyed: list[_Root], writing: bool = True) -> None:
    """Fail in one line before anything is written when a destination cannot take files: a local path under
    a file or in a folder that is not writable (`writing`); a remote store that cannot be listed (a missing
    bucket, wrong credentials or endpoint), asked once per bucket or host."""
    asked: set[tuple[str, str]] = set()
    for r in surveyed:
        new = r.root.new
        root = repos.local_root(new)
        if root is not None and not writing:
            continue
        if root is not None:
            p = root.expanduser().absolute()
            while not p.exists() and p != p.parent:
                p = p.parent
            if not p.is_dir():
                raise MigratorError(f"cannot copy artifacts to {new}: {p} is a file, not a folder; give a folder")
            if not os.access(p, os.W_OK | os.X_OK):
                raise MigratorError(f"cannot copy artifacts to {new}: the folder {p} is not writable; give a folder "
                                    "you can write to")
            continue
        parsed = urlparse(new)
        if (parsed.scheme, parsed.netloc) in asked:
            continue
        asked.add((parsed.scheme, parsed.netloc))
        try:
            next(iter(ArtifactStore.open(new).listing()), None)
        except MigratorError:
            raise
        except Exception as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise MigratorError(f"cannot reach the artifact destination {new}: {first[:300]}; check that the bucket "
                                "or container exists, the endpoint (e.g. MLFLOW_S3_ENDPOINT_URL) and the "
                                "credentials") from None


class _Resume:
    """What an earlier run recorded (its manifest), asked per destination file."""

    def __init__(self, done: dict[str, tuple[int, str]]):
        self.done = done
        self.keys = sorted(done)

    def has_under(self, prefix: str) -> bool:
        i = bisect.bisect_left(self.keys, prefix)
        return i < len(self.keys) and self.keys[i].startswith(prefix)


def copy_artifacts(store: Store, rules: Sequence[Rule], *, artifacts_destination: str | None = None, jobs: int = 4,
                   dry_run: bool = False, manifest: Path | None = None, progress: Progress = NULL_PROGRESS,
                   sync: bool = True) -> ArtifactResult:
    """Copy every artifact `store` references to where `rules` send it; skip what is already there. `sync`:
    flush what was written to local folders to disk before returning (as pg_dump does), so a summary that
    says copied holds after a power loss too; remote stores hold an object once its upload returns.
    Streams: each root's source is listed once to count it and once to copy it; at most a few files per
    worker are in flight."""
    started = time.monotonic()
    locs, rts = _plan(store, rules, artifacts_destination)
    manifest = manifest or default_manifest(store, rules)
    if not dry_run:
        _check_manifest(manifest)
        writable_parent(manifest, "the artifact manifest")
    result = ArtifactResult(None if dry_run else str(manifest), dry_run, len(locs), len(rts))
    surveyed = _survey(locs, rts, artifacts_destination, result)
    _check_destinations(surveyed)
    if not dry_run and surveyed:
        _run(surveyed, manifest, _Resume(_load_manifest(manifest)), result, jobs, progress)
        local = {root for r in surveyed if (root := repos.local_root(r.root.new)) is not None}
        if sync and local:
            sync_folders(local)
            result.synced = True
    result.seconds = time.monotonic() - started
    return result


def _work(surveyed: list[_Root], resume: _Resume, result: ArtifactResult, lock: threading.Lock,
          progress: Progress) -> Iterator[tuple[ArtifactStore, ArtifactStore, str, int | None]]:
    """Every file to transfer, root by root, from a second listing of the source; a file the destination
    holds with the size this manifest recorded is counted as skipped instead."""
    for r in surveyed:
        dst = ArtifactStore.open(r.root.new)
        prefix = r.root.new.rstrip("/") + "/"
        # the destination's listing is needed only where an earlier run recorded files (a resume); a local
        # destination is asked per file instead
        have = dst.files() if dst.root is None and resume.has_under(prefix) else {}
        for f in r.listing():
            recorded = resume.done.get(prefix + f.path)
            if recorded is not None and recorded[0] == f.size and (
                    _present(dst, f.path, f.size) if dst.root is not None else have.get(f.path) == f.size):
                with lock:
                    result.skipped += 1
                    progress.advance("artifacts", f.size or 0)
                continue
            yield r.src, dst, f.path, f.size


def _run(surveyed: list[_Root], manifest: Path, resume: _Resume, result: ArtifactResult, jobs: int,
         progress: Progress) -> None:
    lock = threading.Lock()
    done = resume.done
    progress.start("artifacts", sum(r.bytes for r in surveyed), unit="B")
    made: set[Path] = set()  # destination folders created by this run (local destinations)
    with open_private(manifest, "a") as log, repos.scratch() as tmp_root:
        def one(item: tuple[ArtifactStore, ArtifactStore, str, int | None]) -> None:
            src, dst, rel, _ = item
            key = f"{dst.uri.rstrip('/')}/{rel}"
            tmp = Path(tmp_root) / f"{threading.get_ident()}"
            try:
                if src.root is not None and dst.root is not None and not (dst.root / rel).exists():
                    size, digest = repos.copy_local(src.root / rel, dst.root / rel, made)
                    copied = True
                else:
                    local = src.fetch(rel, tmp)
                    size, digest = local.stat().st_size, sha256_file(local)
                    copied = done.get(key) != (size, digest) or not _present(dst, rel, size)
                    if copied:
                        dst.put(local, rel)
                    if src.root is None:
                        local.unlink(missing_ok=True)
            except Exception as e:  # one file: listed, the rest goes on
                with lock:
                    result.failed.append({"owner": src.uri, "path": rel, "problem": f"{type(e).__name__}: "
                                          f"{str(e).splitlines()[0] if str(e) else ''}"[:300]})
                return
            with lock:
                log.write(json.dumps({"src": f"{src.uri.rstrip('/')}/{rel}", "dst": key, "size": size,
                                      "sha256": digest}) + "\n")
                log.flush()
                if copied:
                    result.copied += 1
                    result.copied_bytes += size
                else:
                    result.skipped += 1
                progress.advance("artifacts", size)

        with ThreadPoolExecutor(max(1, jobs), thread_name_prefix="migrator-artifacts") as pool:
            inflight: deque = deque()
            for item in _work(surveyed, resume, result, lock, progress):
                inflight.append(pool.submit(one, item))
                if len(inflight) >= 4 * max(1, jobs):  # bounded: the work is never all in memory
                    inflight.popleft().result()
            for fut in inflight:
                fut.result()
        log.flush()
        os.fsync(log.fileno())
    progress.done("artifacts")


def _present(dst: ArtifactStore, rel: str, size: int | None) -> bool:
    """A local destination holds `rel` as a file of `size` bytes (any size when None); False for remote ones."""
    if dst.root is None:
        return False
    got = _size(dst, rel)
    return got != -1 and (size is None or got == size)


def verify_artifacts(store: Store, rules: Sequence[Rule], *, artifacts_destination: str | None = None,
                     deep: bool = False, progress: Progress = NULL_PROGRESS) -> ArtifactResult:
    """Every file under every (rewritten) location the store references: present at the new place with the
    same name and size (`deep`: the same sha256). The source streams; a remote destination's listing of
    one root at a time is held (a local one is asked per file)."""
    started = time.monotonic()
    locs, rts = _plan(store, rules, artifacts_destination)
    result = ArtifactResult(None, False, len(locs), len(rts))
    surveyed = _survey(locs, rts, artifacts_destination, result)
    _check_destinations(surveyed, writing=False)
    with repos.scratch() as tmp_root:
        tmp = Path(tmp_root)
        for r in surveyed:
            dst = ArtifactStore.open(r.root.new)
            have = dst.files() if dst.root is None else None
            for f in r.listing():
                rel, size = f.path, f.size
                where = f"{r.root.new.rstrip('/')}/{rel}"
                got = have.get(rel, -1) if have is not None else _size(dst, rel)
                if got == -1:
                    result.differences.append({"owner": r.root.owner, "path": where, "problem": "missing"})
                elif size is not None and got is not None and got != size:
                    result.differences.append({"owner": r.root.owner, "path": where,
                                               "problem": f"{got} bytes, the source has {size}"})
                elif deep and _digest(r.src, rel, tmp / "s") != _digest(dst, rel, tmp / "d"):
                    result.differences.append({"owner": r.root.owner, "path": where, "problem": "sha256 differs"})
    result.seconds = time.monotonic() - started
    return result


def _size(dst: ArtifactStore, rel: str) -> int:
    """A local destination file's size, -1 when it is not there."""
    assert dst.root is not None
    try:
        st = (dst.root / rel).stat()
    except OSError:
        return -1
    return st.st_size if stat.S_ISREG(st.st_mode) else -1


def _digest(side: ArtifactStore, rel: str, tmp: Path) -> str:
    local = side.fetch(rel, tmp)
    try:
        return sha256_file(local)
    finally:
        if side.root is None:
            local.unlink(missing_ok=True)
