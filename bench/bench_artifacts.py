"""Artifact copy speed: `migrator artifacts copy` against `cp -r` and `rclone copy` to the same kind of
destination, in the same run: local -> local, and local -> an S3 endpoint (moto's standalone server).

    python bench/bench_artifacts.py [--files 2000] [--size-kb 256] [--jobs 4]

The store is the sample store, with FILES extra files of SIZE-KB each under one of its runs (2,000 x
256 KB = 500 MB by default). Targets: within 1.3x of the faster baseline; peak RSS < 300 MB, flat in file
count and size. Prints its figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def run(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes, the process tree) of a command."""
    if cmd[0] == "rclone":  # rclone's S3 client refuses a custom CA bundle on a plain-HTTP endpoint
        env = {k: v for k, v in (env or os.environ).items() if k != "AWS_CA_BUNDLE"}
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc, peak = psutil.Process(p.pid), 0
    while p.poll() is None:
        try:
            peak = max(peak, sum(x.memory_info().rss for x in [proc, *proc.children(recursive=True)]))
        except psutil.Error:
            pass
        time.sleep(0.05)
    if p.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed with exit {p.returncode}")
    return time.perf_counter() - t0, peak


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--size-kb", type=int, default=256)
    ap.add_argument("--jobs", type=int, default=4)
    a = ap.parse_args()
    mig = [sys.executable, "-m", "migrator", "artifacts", "copy"]
    with tempfile.TemporaryDirectory(prefix="bench-artifacts-") as tmp:
        d = Path(tmp)
        store, art = build(d, a.files, a.size_kb)
        total = sum(p.stat().st_size for p in art.rglob("*") if p.is_file())
        print(f"{a.files + 8:,} files, {total / 1e6:,.0f} MB")
        results: dict[str, tuple[float, int]] = {}
        results["cp -r"] = run(["cp", "-r", str(art), str(d / "cp")])
        if shutil.which("rclone"):
            results["rclone copy"] = run(["rclone", "copy", "--transfers", str(a.jobs), str(art), str(d / "rclone")])
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        results["migrator"] = run([*mig, str(store), "--from", "mlflow-artifacts:/", "--to", f"{d / 'mig'}/",
                                   "--artifacts-destination", str(art), "--jobs", str(a.jobs), "--manifest",
                                   str(d / "m1.jsonl")], env)
        base = min(v[0] for k, v in results.items() if k != "migrator")
        print("local -> local:")
        for k, (t, rss) in results.items():
            print(f"  {k:<14} {t:7.1f} s  peak RSS {rss / 1e6:6.0f} MB")
        print(f"  migrator / fastest baseline: {results['migrator'][0] / base:.2f} (target <= 1.3)")
        server, url = moto()
        try:
            import boto3

            s3env = {**env, "MLFLOW_S3_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing",
                     "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
            os.environ.update({k: s3env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")})
            s3 = boto3.client("s3", endpoint_url=url)
            for b in ("bench-rclone", "bench-migrator"):
                s3.create_bucket(Bucket=b)
            remote = {}
            if shutil.which("rclone"):
                remote["rclone copy"] = run(["rclone", "copy", "--transfers", str(a.jobs), str(art),
                                             f":s3,provider=Other,endpoint='{url}',access_key_id=testing,"
                                             "secret_access_key=testing:bench-rclone/mlartifacts"])
            remote["migrator"] = run([*mig, str(store), "--from", "mlflow-artifacts:/", "--to", "s3://bench-migrator/mlartifacts/",
                                      "--artifacts-destination", str(art), "--jobs", str(a.jobs), "--manifest",
                                      str(d / "m2.jsonl")], s3env)
            print("local -> S3 (moto):")
            for k, (t, rss) in remote.items():
                print(f"  {k:<14} {t:7.1f} s  peak RSS {rss / 1e6:6.0f} MB")
            if "rclone copy" in remote:
                print(f"  migrator / rclone: {remote['migrator'][0] / remote['rclone copy'][0]:.2f} (target <= 1.3)")
        finally:
            server.terminate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
