"""The README's guided path, run as written: its commands are read from README.md (placeholders replaced by real
servers: PostgreSQL, moto's S3 server, the old server's folder), so a README that stops working fails here.
Move (tracking store, basic-auth database, artifacts) -> start exactly the printed `mlflow server` line -> a
client without S3 credentials reads the old artifacts and logs a new one into the bucket, the old users log in,
an admin left with MLflow's old default password is named -> the nightly job installed by
`schedule` runs as its unit says -> `backups list` -> a restore drill -> `upgrade`, rehearsed and for real."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import boto3
import requests
from conftest import ROOT, SAMPLE, printed_server

LEGACY = ROOT / "sample_data" / "auth_v3_1"
STORAGE = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "MLFLOW_S3_ENDPOINT_URL", "AWS_DEFAULT_REGION")


def _guided_commands() -> list[list[str]]:
    """The `migrator ...` commands of the README's guided path, continuation lines joined."""
    text = (ROOT / "README.md").read_text().split("## The guided path", 1)[1].split("\n## ", 1)[0]
    out = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        for cmd in block.replace("\\\n", " ").splitlines():
            cmd = re.sub(r"\s\[[^\]]*\]", "", cmd).split("#", 1)[0].strip()  # optional parts left out
            if cmd.startswith("migrator "):
                out.append(shlex.split(cmd)[1:])
    return out


def test_the_guided_path_runs_as_written(cli, pg_url, bucket, s3_server, tmp_path, monkeypatch):
    from make_auth_v3_1 import USERS
    from werkzeug.security import generate_password_hash  # what MLflow's auth store hashes passwords with

    old = tmp_path / "old-server"
    old.mkdir()
    shutil.copy(SAMPLE, old / "my.db")
    shutil.copytree(SAMPLE.parent / "mlartifacts", old / "mlartifacts")
    shutil.copy(LEGACY / "basic_auth.db", old / "basic_auth.db")
    with sqlite3.connect(old / "basic_auth.db") as c:  # the admin kept the default older MLflow releases shipped
        c.execute("UPDATE users SET password_hash = ? WHERE username = 'admin'", (generate_password_hash("password1234"),))
    monkeypatch.chdir(old)  # "from the folder it ran in"
    places = {"postgresql://mlflow:pw@db/mlflow": pg_url, "postgresql://mlflow@db/mlflow": pg_url,
              "s3://bucket/": f"s3://{bucket}/", "s3://backups/mlflow": f"s3://{bucket}/backups"}

    def real(args: list[str]) -> list[str]:
        out = []
        for a in args:
            for placeholder, value in places.items():
                a = a.replace(placeholder, value)
            out.append(a)
        return out

    commands = [real(c) for c in _guided_commands()]
    assert [c[0] for c in commands] == ["sqlite-to-pg", "schedule", "backups", "restore", "upgrade", "upgrade"], commands

    # 1. the move
    r = cli(*commands[0], "--json")
    assert r.exit_code == 0, r.output
    moved = json.loads(r.stdout)
    assert moved["verify"]["ok"] and moved["auth"]["verify"]["ok"] and moved["artifacts_verify"]["ok"]
    assert any("'admin' still has the default password" in n for n in moved["auth"]["notes"])

    # 2. exactly the printed line; a client without S3 credentials; the old users
    secrets = {"AWS_ACCESS_KEY_ID": s3_server["env"]["AWS_ACCESS_KEY_ID"],
               "AWS_SECRET_ACCESS_KEY": s3_server["env"]["AWS_SECRET_ACCESS_KEY"],
               "MLFLOW_FLASK_SERVER_SECRET_KEY": "guided-path", "PGPASSWORD": ""}
    client_env = {k: v for k, v in os.environ.items() if k not in STORAGE}
    with printed_server(moved["server"], tmp_path, secrets) as base:
        for user, pw in USERS.items():
            got = requests.get(f"{base}/api/2.0/mlflow/experiments/search", params={"max_results": 5},
                               auth=(user, pw), timeout=10)
            assert got.status_code == 200, (user, got.text[:300])
        user, pw = next(iter(USERS.items()))
        script = ("import json, sys, tempfile; from pathlib import Path; from mlflow import MlflowClient\n"
                  "c = MlflowClient(sys.argv[1])\n"
                  "run = next(r for r in c.search_runs(['1'], max_results=50) if c.list_artifacts(r.info.run_id))\n"
                  "got = c.download_artifacts(run.info.run_id, '', tempfile.mkdtemp())\n"
                  "exp = c.create_experiment('after-the-move'); new = c.create_run(exp)\n"
                  "f = Path(tempfile.mkdtemp()) / 'new.txt'; f.write_text('logged after the move')\n"
                  "c.log_artifact(new.info.run_id, str(f))\n"
                  "print(json.dumps([got, exp, new.info.run_id]))")
        env = {**client_env, "MLFLOW_TRACKING_USERNAME": user, "MLFLOW_TRACKING_PASSWORD": pw}
        c = subprocess.run([sys.executable, "-c", script, base], env=env, capture_output=True, text=True, timeout=300)
        assert c.returncode == 0, c.stderr[-2000:]
        got, exp, run_id = json.loads(c.stdout.strip().splitlines()[-1])
        assert any(Path(got).rglob("*")), "no artifact downloaded through the server"
        keys = [o["Key"] for o in boto3.client("s3", endpoint_url=s3_server["url"]).list_objects_v2(
            Bucket=bucket, Prefix=f"mlartifacts/{exp}/").get("Contents", [])]
        assert f"mlartifacts/{exp}/{run_id}/artifacts/new.txt" in keys  # a new run's artifact lands in the bucket

    # 3. the nightly job: installed, then run exactly as its unit says (environment file, password file)
    units = tmp_path / "units"
    r = cli(*commands[1], "--install-dir", units, "--credentials-file", tmp_path / "secret" / "job.pgpass",
            "--env-file", tmp_path / "secret" / "job.env")
    assert r.exit_code == 0, r.output
    service = (units / "migrator-backup.service").read_text()
    exec_start = shlex.split(service.split("ExecStart=", 1)[1].splitlines()[0].replace("%%", "%"))
    job_env = dict(client_env)
    env_file = re.search(r"^EnvironmentFile=(.*)$", service, re.M)
    if env_file:
        for line in Path(env_file.group(1).replace("%%", "%")).read_text().splitlines():
            k, v = line.split("=", 1)
            job_env[k] = shlex.split(v)[0]
    job = subprocess.run(exec_start, env=job_env, capture_output=True, text=True, timeout=600)
    assert job.returncode == 0, job.stderr[-2000:]

    # 4. the backup is listed, and the drill passes
    r = cli(*commands[2], "--json")
    assert r.exit_code == 0, r.output
    listed = json.loads(r.stdout)
    assert len(listed) == 1 and set(listed[0]["stores"]) == {"tracking", "auth"} and listed[0]["artifacts_files"] > 0
    drill = commands[3][:1] + [listed[0]["backup"]] + commands[3][2:]
    r = cli(*drill, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["ok"] is True

    # 5. an MLflow upgrade: rehearsed, then for real (the moved store is at the installed head: nothing to do)
    for cmd in commands[4:]:
        r = cli(*cmd, "--json")
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout)["plan"]["migrations"] == 0
