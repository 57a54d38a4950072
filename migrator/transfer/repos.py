"""The one place that reads and writes artifact stores: MLflow's own artifact repositories
(`mlflow.store.artifact`: local folders and file://, s3:// with MLFLOW_S3_ENDPOINT_URL and the AWS
variables, gs://, wasbs://, abfss://, sftp://, hdfs://, ...), so every scheme MLflow supports works here."""

from __future__ import annotations

import os
import posixpath
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ContextManager, Iterator

from ..errors import MigratorError, UsageError
from ..tempdirs import scratch as scratch_dir

SERVED = "mlflow-artifacts:"


@dataclass(frozen=True)
class RemoteFile:
    path: str  # relative to the location's root, '/'-separated
    size: int | None


def resolve(uri: str, artifacts_destination: str | None) -> str:
    """A location as an artifact repository opens it: `mlflow-artifacts:/x` (served by the old tracking
    server) is `x` under the folder or URI the server was started with (--artifacts-destination)."""
    if not uri.startswith(SERVED):
        return uri
    if not artifacts_destination:
        raise UsageError(f"{uri} is served by the tracking server (mlflow-artifacts:/): give "
                         "--artifacts-destination, the folder or URI that server was started with "
                         "(`mlflow server --artifacts-destination`, default ./mlartifacts)")
    rest = uri[len(SERVED):].lstrip("/")
    # mlflow-artifacts://host:port/path carries the server's address before the path
    if uri.startswith(SERVED + "//"):
        rest = rest.split("/", 1)[1] if "/" in rest else ""
    base = artifacts_destination.rstrip("/")
    return f"{base}/{rest}" if rest else base


def repository(uri: str) -> Any:
    from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

    try:
        return get_artifact_repository(uri)
    except Exception as e:  # an unknown scheme, a missing optional package (boto3, google-cloud-storage, ...)
        raise MigratorError(f"cannot open the artifact store {uri}: {str(e).splitlines()[0] if str(e) else e}; "
                            "check the URI and that its client package is installed") from None


def local_root(uri: str) -> Path | None:
    """The folder of a local location (a path or file:// URI), None for remote ones."""
    if uri.startswith("file://"):
        from urllib.parse import unquote, urlparse

        return Path(unquote(urlparse(uri).path))
    if "://" not in uri and not uri.startswith(SERVED):
        return Path(uri)
    return None


def walk(repo: Any, root: str | None = None) -> Iterator[RemoteFile]:
    """Every file under a repository (or under `root` in it), with its size where the store tells it."""
    stack = [root or ""]
    while stack:
        path = stack.pop()
        for f in repo.list_artifacts(path or None):
            if f.is_dir:
                stack.append(f.path)
            else:
                yield RemoteFile(f.path, f.file_size)


def local_walk(root: Path) -> Iterator[RemoteFile]:
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            yield RemoteFile(p.relative_to(root).as_posix(), p.stat().st_size)



def fetch(repo: Any, root: Path | None, rel: str, tmp: Path) -> Path:
    """A local path holding the source file (read in place for local stores)."""
    if root is not None:
        return root / rel
    from ..mlflow_api import download_file

    local = tmp / rel
    local.parent.mkdir(parents=True, exist_ok=True)
    download_file(repo, rel, str(local))
    return local


_buffers = threading.local()


def _part_file(target: Path, made: set[Path] | None = None) -> Path:
    """Where `target` is written before it is renamed into place (its folder made first; `made`: folders this
    run has created already, not asked again)."""
    parent = target.parent
    if made is None or parent not in made:
        parent.mkdir(parents=True, exist_ok=True)
        if made is not None:
            made.add(parent)
    return target.with_name(f".{target.name}.migrator-part")


def copy_local(src: Path, target: Path, made: set[Path] | None = None) -> tuple[int, str]:
    """Copy a local file to a local destination in one pass that also hashes it (written to a part file,
    then renamed into place): its size and sha256. `made`: folders this run has created already."""
    import hashlib

    part = _part_file(target, made)
    h, size = hashlib.sha256(), 0
    buf = getattr(_buffers, "buf", None)
    if buf is None:  # one buffer per thread for the whole run (no 1 MB allocation per file)
        buf = _buffers.buf = bytearray(1 << 20)
    view = memoryview(buf)
    with open(src, "rb", buffering=0) as f, open(part, "wb", buffering=0) as out:
        while n := f.readinto(buf):
            chunk = view[:n]
            h.update(chunk)
            while chunk:
                chunk = chunk[out.write(chunk):]
            size += n
    os.replace(part, target)
    return size, h.hexdigest()


def put(repo: Any, root: Path | None, local: Path, rel: str) -> None:
    """Write `local` as `rel` of the destination (a rename-into-place for local stores)."""
    if root is not None:
        target = root / rel
        part = _part_file(target)
        shutil.copyfile(local, part)
        os.replace(part, target)
        return
    parent, name = posixpath.split(rel)
    if local.name == name:
        repo.log_artifact(str(local), artifact_path=parent or None)
        return
    # a repository names the object after the file it is given: give it a link of the wanted name
    with scratch_dir("put") as d:
        link = Path(d) / name
        os.symlink(local.resolve(), link)
        repo.log_artifact(str(link), artifact_path=parent or None)


@dataclass(frozen=True)
class ArtifactStore:
    """One artifact store (or root in one): a local folder is read and written in place (what MLflow's
    LocalArtifactRepository does too, and without importing MLflow); every other scheme goes through its
    MLflow repository."""

    uri: str
    repo: Any
    root: Path | None

    @classmethod
    def open(cls, uri: str) -> "ArtifactStore":
        root = local_root(uri)
        return cls(uri, None if root is not None else repository(uri), root)

    def walk(self) -> Iterator[RemoteFile]:
        return local_walk(self.root) if self.root is not None else walk(self.repo)

    def files(self) -> dict[str, int | None]:
        """Every file with its size; a missing local folder or remote prefix holds none."""
        if self.root is not None:
            return {f.path: f.size for f in local_walk(self.root)} if self.root.is_dir() else {}
        return {f.path: f.size for f in self.listing()}

    def listing(self) -> Iterator[RemoteFile]:
        """Every file with its size, as the store lists them (streamed); a missing local folder or remote
        prefix holds none."""
        if self.root is not None:
            if self.root.is_dir():
                yield from local_walk(self.root)
            return
        listed = False
        try:
            for f in walk(self.repo):
                listed = True
                yield f
        except Exception as e:
            if not listed and _not_found(e):  # only a listing that never started is an absent prefix
                return
            raise

    def fetch(self, rel: str, tmp: Path) -> Path:
        return fetch(self.repo, self.root, rel, tmp)

    def put(self, local: Path, rel: str) -> None:
        put(self.repo, self.root, local, rel)


def _not_found(e: Exception) -> bool:
    """A prefix that does not exist reads as empty in most stores; others raise."""
    return "not found" in str(e).lower() or "nosuchkey" in str(e).lower() or "404" in str(e)


def scratch() -> ContextManager[Path]:
    """A private temporary folder for downloads (removed by the next run if this one is killed)."""
    return scratch_dir("artifacts")
