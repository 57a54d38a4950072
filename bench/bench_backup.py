"""SQLite snapshot speed: `migrator backup` vs `sqlite3 SRC ".backup DST"` plus the same compression.

    python bench/bench_backup.py [--rows 1600000]     # ~400 MB store

Target: migrator backup <= 1.5x (sqlite3 .backup + compression), for gzip and zstd.
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


if __name__ == "__main__":
    sys.exit(main())
