"""Write migrator/data/revision_releases.json: for every alembic revision of MLflow's tracking and basic-auth
migrations, the first MLflow release whose wheel ships it (what `migrator upgrade` prints beside each
migration of its plan).

    python sample_data/make_release_map.py      # about a minute: reads only each wheel's zip directory

Each release's wheel on PyPI is read with HTTP range requests (its central directory, a few hundred KB),
never downloaded whole. Run it again after a new MLflow release; revisions newer than the map are printed
as "after <newest release in the map>".
"""

from __future__ import annotations

import io
import json
import re
import urllib.request
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "migrator" / "data" / "revision_releases.json"
INDEX = "https://pypi.org/simple/mlflow/"
FOLDERS = {"tracking": "mlflow/store/db_migrations/versions/", "auth": "mlflow/server/auth/db/migrations/versions/"}
WHEEL = re.compile(r"^mlflow-(\d+)\.(\d+)\.(\d+)-py3-none-any\.whl$")


class RangeFile(io.RawIOBase):
    """A remote file read with HTTP range requests (what zipfile needs: seek, tell, read)."""

    def __init__(self, url: str, size: int) -> None:
        self.url, self.size, self.pos = url, size, 0

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = {0: offset, 1: self.pos + offset, 2: self.size + offset}[whence]
        return self.pos

    def tell(self) -> int:
        return self.pos

    def read(self, n: int = -1) -> bytes:
        end = self.size if n < 0 else min(self.size, self.pos + n)
        if end <= self.pos:
            return b""
        req = urllib.request.Request(self.url, headers={"Range": f"bytes={self.pos}-{end - 1}"})
        with urllib.request.urlopen(req, timeout=60) as r:
            data = r.read()
        self.pos += len(data)
        return data


def main() -> int:
    req = urllib.request.Request(INDEX, headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        files = json.load(r)["files"]
    wheels = []
    for f in files:
        m = WHEEL.match(f["filename"])
        if m and not f.get("yanked"):
            wheels.append((tuple(int(x) for x in m.groups()), f["url"], int(f["size"])))
    wheels.sort()
    first: dict[str, dict[str, str]] = {"tracking": {}, "auth": {}}
    for version, url, size in wheels:
        name = ".".join(map(str, version))
        with zipfile.ZipFile(RangeFile(url, size)) as z:  # type: ignore[arg-type]
            for entry in z.namelist():
                for kind, folder in FOLDERS.items():
                    if entry.startswith(folder) and entry.endswith(".py") and "/" not in entry[len(folder):]:
                        rev = entry[len(folder):].split("_", 1)[0]
                        if re.fullmatch(r"[0-9a-f]{8,40}", rev):  # alembic ids; not helper modules
                            first[kind].setdefault(rev, name)
        print(name, len(first["tracking"]), len(first["auth"]))
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"newest_release": ".".join(map(str, wheels[-1][0])), **first}, indent=1,
                              sort_keys=True) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
