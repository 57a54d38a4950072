"""SQLite snapshot speed: `migrator backup` vs `sqlite3 SRC ".backup DST"` plus the same compression.

    python bench/bench_backup.py [--rows 1600000]     # ~400 MB store
    python bench/bench_backup.py --remote             # to an S3 endpoint (moto's standalone server)

Target: migrator backup <= 1.5x (sqlite3 .backup + compression), for gzip and zstd.
Remote target: `migrator backup --dest s3://...` <= 1.3x (`sqlite3 .backup` + `rclone copy` of the
file to the same endpoint), measured in the same run; migrator's upload is compressed (zstd) or not
(none), rclone's is the raw snapshot.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_big_store import make_store  # noqa: E402


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def compress(src: Path, method: str) -> None:
    with open(src, "rb") as fin, open(str(src) + "." + method, "wb") as fout:
        if method == "gzip":
            with gzip.GzipFile(fileobj=fout, mode="wb", compresslevel=6, mtime=0) as gz:
                shutil.copyfileobj(fin, gz, 1 << 20)
        else:
            import zstandard

            zstandard.ZstdCompressor(level=3, threads=-1).copy_stream(fin, fout, read_size=1 << 20)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_600_000)
    ap.add_argument("--workdir", type=Path, default=HERE / "out")
    ap.add_argument("--remote", action="store_true", help="Back up to an S3 endpoint instead of a folder.")
    a = ap.parse_args()
    a.workdir.mkdir(parents=True, exist_ok=True)
    store = a.workdir / f"backup_store_{a.rows}.db"
    if not store.exists():
        make_store(store, a.rows)
    sqlite3 = shutil.which("sqlite3")
    if not sqlite3:
        print("sqlite3 shell not found (apt-get install sqlite3)")
        return 1
    print(f"store: {store.stat().st_size / 1e6:.0f} MB")
    if a.remote:
        return remote(store, sqlite3, a.workdir)
    for method in ("gzip", "zstd"):
        with tempfile.TemporaryDirectory(dir=a.workdir) as tmp:
            dst = Path(tmp) / "base.db"
            t_backup = timed(lambda: subprocess.run([sqlite3, str(store), f".backup '{dst}'"], check=True))
            t_comp = timed(lambda: compress(dst, method))
            base = t_backup + t_comp
            t_mig = timed(lambda: subprocess.run(
                [sys.executable, "-m", "migrator", "backup", str(store), "--dest", str(Path(tmp) / "bk"),
                 "--compress", method], check=True, capture_output=True))
        print(f"{method}: sqlite3 .backup {t_backup:.1f}s + compress {t_comp:.1f}s = {base:.1f}s; "
              f"migrator backup {t_mig:.1f}s (snapshot + integrity_check + counts + compress + sha256); "
              f"ratio {t_mig / base:.2f} (target <= 1.5)")
    return 0


def remote(store: Path, sqlite3: str, workdir: Path) -> int:
    import os

    import boto3
    from bench_artifacts import moto, run

    if not shutil.which("rclone"):
        print("rclone not found (apt-get install rclone)")
        return 1
    server, url = moto()
    env = {**os.environ, "MLFLOW_S3_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
    env.pop("AWS_CA_BUNDLE", None)
    try:
        s3 = boto3.client("s3", endpoint_url=url, aws_access_key_id="testing", aws_secret_access_key="testing",
                          region_name="us-east-1")
        for method in ("zstd", "gzip", "none"):
            buckets = [f"bench-{method}-rclone", f"bench-{method}-migrator"]
            for b in buckets:
                s3.create_bucket(Bucket=b)
            with tempfile.TemporaryDirectory(dir=workdir) as tmp:
                dst = Path(tmp) / "base.db"
                t_backup = timed(lambda: subprocess.run([sqlite3, str(store), f".backup '{dst}'"], check=True))
                t_up, _ = run(["rclone", "copy", str(dst), f":s3,provider=Other,endpoint='{url}',access_key_id=testing,"
                               f"secret_access_key=testing:{buckets[0]}/base"], env)
            base = t_backup + t_up
            t_mig, rss = run([sys.executable, "-m", "migrator", "backup", str(store), "--dest",
                              f"s3://{buckets[1]}/bk", "--compress", method], env)
            print(f"{method}: sqlite3 .backup {t_backup:.1f}s + rclone copy {t_up:.1f}s = {base:.1f}s; "
                  f"migrator backup --dest s3:// {t_mig:.1f}s (snapshot, integrity_check, counts, compression, "
                  f"sha256, upload, manifest); ratio {t_mig / base:.2f} (target <= 1.3); peak RSS {rss / 1e6:.0f} MB")
    finally:
        server.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
