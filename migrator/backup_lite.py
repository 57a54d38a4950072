"""A safety copy before an in-place change: SQLite snapshot (backup API) or pg_dump -Fc. Files 0600."""

from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from .errors import MigratorError
from .snapshot import snapshot_sqlite
from .stores import Store, connect_pg


def _stamp() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())


def find_pg_dump(server_major: int) -> str:
    """A pg_dump whose major version is not older than the server's: PATH, Debian's, pgserver's."""
    candidates = [shutil.which("pg_dump")] + sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), reverse=True)
    try:
        import pgserver

        candidates.append(str(Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"))
    except ImportError:
        pass
    found = []
    for c in candidates:
        if not c or not os.path.exists(c):
            continue
        out = subprocess.run([c, "--version"], capture_output=True, text=True).stdout
        m = re.search(r"(\d+)(?:\.\d+)?", out)
        if m:
            found.append((int(m.group(1)), c))
            if int(m.group(1)) >= server_major:
                return c
    have = ", ".join(f"{v} ({p})" for v, p in found) or "none"
    raise MigratorError(f"no pg_dump of major version >= {server_major} found (found: {have}); install "
                        f"postgresql-client-{server_major} or put a newer pg_dump on PATH")


def backup_before_write(store: Store, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    if store.is_sqlite:
        assert store.path is not None
        out = dest / f"{store.path.stem}-{_stamp()}.db"
        snapshot_sqlite(store.path, out)
    else:
        engine, conn = connect_pg(store)
        try:
            major = int(conn.exec_driver_sql("SHOW server_version_num").scalar()) // 10000
        finally:
            conn.close()
            engine.dispose()
        exe = find_pg_dump(major)
        u = make_url(store.url)
        env = dict(os.environ, PGPASSWORD=u.password or "")  # never on argv
        out = dest / f"{u.database}-{_stamp()}.dump"
        args = [exe, "-Fc", "-f", str(out), "-d", u.database or "postgres", "-U", u.username or "postgres"]
        host = u.host or u.query.get("host")
        if host:
            args += ["-h", str(host)]
        if u.port:
            args += ["-p", str(u.port)]
        fd = os.open(out, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.close(fd)
        r = subprocess.run(args, env=env, capture_output=True, text=True)
        if r.returncode != 0:
            out.unlink(missing_ok=True)
            raise MigratorError(f"pg_dump failed: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode}")
    os.chmod(out, 0o600)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    Path(str(out) + ".sha256").write_text(f"{digest}  {out.name}\n")
    os.chmod(str(out) + ".sha256", 0o600)
    return out
