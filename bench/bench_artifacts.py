"""Artifact copy speed: `migrator artifacts copy` against `cp -r` and `rclone copy` to the same kind of
destination, in the same run: local -> local, and local -> an S3 endpoint (moto's standalone server).

    python bench/bench_artifacts.py [--files 2000] [--size-kb 256] [--jobs 4] [--local-only] [--rss-scan]

The store is the sample store, with FILES extra files of SIZE-KB each under one of its runs (2,000 x
256 KB = 500 MB by default). Targets: within 1.3x of the faster baseline; peak RSS < 300 MB, flat in file
count and size. Local -> local is timed twice: as each command returns (migrator --no-sync, cp and rclone
leave their data in the page cache), and until the data is on disk (sync(2) inside every timing; migrator's
default flushes before it reports). Prints its figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from measure import run_tree  # noqa: E402


def run(cmd: list[str], env: dict | None = None, durable: bool = False) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes, the process tree after the exec) of a command (measure.run_tree)."""
    if cmd[0] == "rclone":  # rclone's S3 client refuses a custom CA bundle on a plain-HTTP endpoint
        env = {k: v for k, v in (env or os.environ).items() if k != "AWS_CA_BUNDLE"}
    wall, peak, code = run_tree(cmd, env, durable)
    if code != 0:
        raise SystemExit(f"{cmd[:4]} failed with exit {code}")
    return wall, peak


def build(d: Path, files: int, size_kb: int) -> tuple[Path, Path]:
    store, art = d / "mlflow.db", d / "mlartifacts"
    shutil.copy(ROOT / "sample_data" / "mlflow.db", store)
    shutil.copytree(ROOT / "sample_data" / "mlartifacts", art)
    bulk = next(art.glob("*/*/artifacts/notes")).parent / "bulk"
    bulk.mkdir()
    block = os.urandom(size_kb * 1024)
    for i in range(files):
        sub = bulk / f"d{i // 200:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"f{i:05d}.bin").write_bytes(block[i % 97:] + block[:i % 97])
    return store, art


def moto() -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3)
    return proc, f"http://127.0.0.1:{port}"


def rounds(cmds: dict[str, Callable[[int], tuple[list[str], dict | None]]], n: int,
           durable: bool = False) -> dict[str, tuple[float, int]]:
    """Each command n times, in a rotating order, each into a fresh destination and after os.sync(): a run
    must not pay for the write-back of the one before it. Median wall time and the highest peak RSS."""
    times: dict[str, list[float]] = {k: [] for k in cmds}
    peaks: dict[str, int] = {k: 0 for k in cmds}
    names = list(cmds)
    for i in range(n):
        for k in names[i % len(names):] + names[:i % len(names)]:
            cmd, env = cmds[k](i)
            os.sync()
            t, rss = run(cmd, env, durable)
            times[k].append(t)
            peaks[k] = max(peaks[k], rss)
    return {k: (statistics.median(v), peaks[k]) for k, v in times.items()}


def report(title: str, results: dict[str, tuple[float, int]], n: int) -> None:
    print(f"{title} (median of {n}):")
    for k, (t, rss) in results.items():
        print(f"  {k:<14} {t:7.2f} s  peak RSS {rss / 1e6:6.0f} MB")
    base = min(v[0] for k, v in results.items() if k != "migrator")
    print(f"  migrator / fastest baseline: {results['migrator'][0] / base:.2f} (target <= 1.3)")


def rss_scan(a: argparse.Namespace) -> int:
    """Peak RSS of migrator alone at the bench's shape, at 10x the files (a tenth of the size each) and at
    10x the bytes: it must stay flat (the work list holds paths and sizes only; files stream in chunks)."""
    mig = [sys.executable, "-m", "migrator", "artifacts", "copy"]
    shapes = [(a.files, a.size_kb), (a.files * 10, max(1, a.size_kb // 10)), (a.files, a.size_kb * 10)]
    server, url = moto()
    s3env = {**os.environ, "PYTHONPATH": str(ROOT), "MLFLOW_S3_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing",
             "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
    try:
        import boto3

        s3 = boto3.client("s3", endpoint_url=url, aws_access_key_id="testing", aws_secret_access_key="testing",
                          region_name="us-east-1")
        print("files      MB   local -> local        local -> S3 (moto)")
        for n, (files, kb) in enumerate(shapes):
            with tempfile.TemporaryDirectory(prefix="bench-artifacts-rss-") as tmp:
                d = Path(tmp)
                store, art = build(d, files, kb)
                total = sum(p.stat().st_size for p in art.rglob("*") if p.is_file())
                common = [str(store), "--from", "mlflow-artifacts:/", "--artifacts-destination", str(art),
                          "--jobs", str(a.jobs)]
                os.sync()
                t1, r1 = run([*mig, *common, "--to", f"{d / 'out'}/", "--manifest", str(d / "l.jsonl")], s3env)
                t2 = r2 = 0.0
                if a.local_only:
                    print(f"{files + 8:>6,} {total / 1e6:>7,.0f}   {t1:6.1f} s {r1 / 1e6:5.0f} MB", flush=True)
                    continue
                s3.create_bucket(Bucket=f"rss-{n}")
                t2, r2 = run([*mig, *common, "--to", f"s3://rss-{n}/m/", "--manifest", str(d / "s.jsonl")], s3env)
                print(f"{files + 8:>6,} {total / 1e6:>7,.0f}   {t1:6.1f} s {r1 / 1e6:5.0f} MB    "
                      f"{t2:6.1f} s {r2 / 1e6:5.0f} MB", flush=True)
            for obj in s3.get_paginator("list_objects_v2").paginate(Bucket=f"rss-{n}"):
                for o in obj.get("Contents", []):
                    s3.delete_object(Bucket=f"rss-{n}", Key=o["Key"])
    finally:
        server.terminate()
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--size-kb", type=int, default=256)
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--local-only", action="store_true", help="skip the S3 route")
    ap.add_argument("--settle", type=float, default=40.0, help="seconds to wait before the local rounds, so that "
                    "no file deleted just before (an earlier run's cleanup) slows the file creation being measured")
    ap.add_argument("--rss-scan", action="store_true", help="only migrator's peak RSS at 1x, 10x files, 10x bytes")
    a = ap.parse_args()
    if a.rss_scan:
        return rss_scan(a)
    mig = [sys.executable, "-m", "migrator", "artifacts", "copy"]
    with tempfile.TemporaryDirectory(prefix="bench-artifacts-") as tmp:
        d = Path(tmp)
        store, art = build(d, a.files, a.size_kb)
        total = sum(p.stat().st_size for p in art.rglob("*") if p.is_file())
        print(f"{a.files + 8:,} files, {total / 1e6:,.0f} MB")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        local: dict[str, Callable[[int], tuple[list[str], dict | None]]] = {
            "cp -r": lambda i: (["cp", "-r", str(art), str(d / f"cp{i}")], None)}
        if shutil.which("rclone"):
            local["rclone copy"] = lambda i: (["rclone", "copy", "--transfers", str(a.jobs), str(art),
                                               str(d / f"rclone{i}")], None)
        def migrator(i: int, *extra: str) -> tuple[list[str], dict | None]:
            return ([*mig, str(store), "--from", "mlflow-artifacts:/", "--to", f"{d / f'mig{i}'}/",
                     "--artifacts-destination", str(art), "--jobs", str(a.jobs), "--manifest",
                     str(d / f"m{i}.jsonl"), *extra], env)

        # cp and rclone return before their data is on disk; migrator's default waits for it (syncfs, as pg_dump
        # does): compared as they return with --no-sync, and on disk with its default
        local["migrator"] = lambda i: migrator(i, "--no-sync")
        # nothing is deleted until both local rounds are done: ext4 skips inodes freed in the last ~35 s when
        # it allocates new ones (recently_deleted() in its inode allocator), which made file creation -- cp's
        # whole cost -- several times slower right after a cleanup and flattered every ratio
        time.sleep(a.settle)
        report("local -> local, as each command returns (migrator --no-sync)", rounds(local, a.rounds), a.rounds)
        local["migrator"] = migrator
        later = {k: (lambda f: lambda i: f(i + a.rounds))(f) for k, f in local.items()}  # fresh destinations
        os.sync()
        report("local -> local, on disk (sync(2) inside every timing; migrator's default)",
               rounds(later, a.rounds, durable=True), a.rounds)
        for old in d.glob("*[0-9]"):
            shutil.rmtree(old, ignore_errors=True)
        if a.local_only:
            return 0
        server, url = moto()
        try:
            import boto3

            s3env = {**env, "MLFLOW_S3_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing",
                     "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
            os.environ.update({k: s3env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")})
            s3 = boto3.client("s3", endpoint_url=url)
            for i in range(a.rounds):
                for b in (f"bench-rclone-{i}", f"bench-migrator-{i}"):
                    s3.create_bucket(Bucket=b)
            remote: dict[str, Callable[[int], tuple[list[str], dict | None]]] = {}
            if shutil.which("rclone"):
                remote["rclone copy"] = lambda i: (["rclone", "copy", "--transfers", str(a.jobs), str(art),
                                                    f":s3,provider=Other,endpoint='{url}',access_key_id=testing,"
                                                    f"secret_access_key=testing:bench-rclone-{i}/mlartifacts"], None)
            remote["migrator"] = lambda i: ([*mig, str(store), "--from", "mlflow-artifacts:/", "--to",
                                             f"s3://bench-migrator-{i}/mlartifacts/", "--artifacts-destination",
                                             str(art), "--jobs", str(a.jobs), "--manifest", str(d / f"s{i}.jsonl")],
                                            s3env)
            report("local -> S3 (moto)", rounds(remote, a.rounds), a.rounds)
        finally:
            server.terminate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
