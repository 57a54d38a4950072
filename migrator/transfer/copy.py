"""`migrator artifacts copy` and `artifacts verify`: every artifact a store references, copied from its
old place to its new one (the same prefix rules as --rewrite-artifacts) through MLflow's artifact
repositories, resumable, and proven present afterwards.

Resuming: each copied file is appended to a JSON-lines manifest (path, size, sha256, both ends); a rerun
skips a file the destination already holds with the size and sha256 the manifest (or, without an entry,
a fresh hash of both sides) says. The source is only read.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from ..artifacts import Rule
from ..errors import EXIT_MISMATCH, UsageError
from ..files import open_private, sha256_file, sync_folders, writable_parent
from ..stores import Store
from . import repos
from .locations import Location, roots, store_locations
from .repos import ArtifactStore

Progress = Callable[..., Any]


@dataclass
class ArtifactResult:
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

    @property
    def ok(self) -> bool:
        return not (self.missing or self.failed or self.differences)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else EXIT_MISMATCH

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
    locs = [loc for loc in store_locations(store, rules) if loc.new != loc.uri]
    for loc in locs:
        if loc.new.startswith(repos.SERVED):
            raise UsageError(f"{loc.uri} would move to {loc.new}: give the new concrete store (a folder, s3://, "
                             "gs://, ...), not mlflow-artifacts:/, which only a tracking server resolves")
        repos.resolve(loc.uri, artifacts_destination)  # fails early when --artifacts-destination is needed
    return locs, roots(locs)


def default_manifest(store: Store, rules: Sequence[Rule]) -> Path:
    digest = hashlib.sha1((store.redacted + "\n" + "\n".join(f"{r.old}={r.new}" for r in rules)).encode()).hexdigest()
    return Path.cwd() / f"migrator-artifacts-{digest[:10]}.jsonl"


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


def _missing(loc: Location, root: Location, files: dict[str, Any], result: ArtifactResult) -> None:
    """A location with nothing under it: missing where the store says something was written, else empty."""
    sub = loc.uri.rstrip("/")[len(root.uri.rstrip("/")):].lstrip("/")
    if any(p == sub or p.startswith(sub + "/") for p in files) if sub else files:
        return
    if loc.expected:
        result.missing.append({"owner": loc.owner, "path": loc.uri, "problem": "no artifacts at the source (the "
                               "folder is gone: deleted by `mlflow gc`, a lost disk, or moved by hand)"})
    else:
        result.empty += 1


def _sources(locs: list[Location], rts: list[Location], artifacts_destination: str | None,
             result: ArtifactResult) -> Iterator[tuple[Location, ArtifactStore, dict[str, int | None]]]:
    """Each root with the files its source holds (roots holding none are skipped); missing locations are
    recorded and the file count and bytes added to `result` on the way."""
    for root in rts:
        src = ArtifactStore.open(repos.resolve(root.uri, artifacts_destination))
        files = src.files()
        base = root.uri.rstrip("/")
        for loc in locs:
            if loc.uri.rstrip("/") == base or loc.uri.startswith(base + "/"):
                _missing(loc, root, files, result)
        result.files += len(files)
        result.bytes += sum(size or 0 for size in files.values())
        if files:
            yield root, src, files


def copy_artifacts(store: Store, rules: Sequence[Rule], *, artifacts_destination: str | None = None, jobs: int = 4,
                   dry_run: bool = False, manifest: Path | None = None, progress: Progress | None = None,
                   sync: bool = True) -> ArtifactResult:
    """Copy every artifact `store` references to where `rules` send it; skip what is already there. `sync`:
    flush what was written to local folders to disk before returning (as pg_dump does), so a summary that
    says copied holds after a power loss too; remote stores hold an object once its upload returns."""
    started = time.monotonic()
    locs, rts = _plan(store, rules, artifacts_destination)
    manifest = manifest or default_manifest(store, rules)
    if not dry_run:
        writable_parent(manifest, "the artifact manifest")
    result = ArtifactResult(None if dry_run else str(manifest), dry_run, len(locs), len(rts))
    done = _load_manifest(manifest)
    work: list[tuple[ArtifactStore, ArtifactStore, str, int | None]] = []
    for root, src, files in _sources(locs, rts, artifacts_destination, result):
        dst = ArtifactStore.open(root.new)
        have = {} if dry_run else dst.files()
        for rel, size in sorted(files.items()):
            key = f"{root.new.rstrip('/')}/{rel}"
            if have.get(rel) is not None and have.get(rel) == size and done.get(key, (None,))[0] == size:
                result.skipped += 1
                continue
            work.append((src, dst, rel, size))
    if not dry_run and work:
        _run(work, manifest, done, result, jobs, progress)
        local = {w[1].root for w in work if w[1].root is not None}
        if sync and local:
            sync_folders(local)
            result.synced = True
    result.seconds = time.monotonic() - started
    return result


def _run(work: list, manifest: Path, done: dict, result: ArtifactResult, jobs: int, progress: Progress | None) -> None:
    lock = threading.Lock()
    bar = progress("bar", desc="artifacts", total=sum(w[3] or 0 for w in work), unit="B") if progress else None
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
                if bar is not None:
                    bar.update(size)

        with ThreadPoolExecutor(max(1, jobs), thread_name_prefix="migrator-artifacts") as pool:
            list(pool.map(one, work))
        log.flush()
        os.fsync(log.fileno())
    if bar is not None:
        bar.close()


def _present(dst: ArtifactStore, rel: str, size: int) -> bool:
    if dst.root is not None:
        p = dst.root / rel
        return p.is_file() and p.stat().st_size == size
    return False


def verify_artifacts(store: Store, rules: Sequence[Rule], *, artifacts_destination: str | None = None,
                     deep: bool = False, progress: Progress | None = None) -> ArtifactResult:
    """Every file under every (rewritten) location the store references: present at the new place with the
    same name and size (`deep`: the same sha256)."""
    started = time.monotonic()
    locs, rts = _plan(store, rules, artifacts_destination)
    result = ArtifactResult(None, False, len(locs), len(rts))
    with repos.scratch() as tmp_root:
        tmp = Path(tmp_root)
        for root, src, files in _sources(locs, rts, artifacts_destination, result):
            dst = ArtifactStore.open(root.new)
            have = dst.files()
            for rel, size in sorted(files.items()):
                where = f"{root.new.rstrip('/')}/{rel}"
                if rel not in have:
                    result.differences.append({"owner": root.owner, "path": where, "problem": "missing"})
                elif size is not None and have[rel] is not None and have[rel] != size:
                    result.differences.append({"owner": root.owner, "path": where,
                                               "problem": f"{have[rel]} bytes, the source has {size}"})
                elif deep and _digest(src, rel, tmp / "s") != _digest(dst, rel, tmp / "d"):
                    result.differences.append({"owner": root.owner, "path": where, "problem": "sha256 differs"})
    result.seconds = time.monotonic() - started
    return result


def _digest(side: ArtifactStore, rel: str, tmp: Path) -> str:
    local = side.fetch(rel, tmp)
    try:
        return sha256_file(local)
    finally:
        if side.root is None:
            local.unlink(missing_ok=True)
