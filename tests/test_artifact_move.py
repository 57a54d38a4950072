"""Moving the artifact bytes with the database: a real S3-compatible server (moto's standalone server on
127.0.0.1, reached over HTTP by boto3 through MLflow's S3 artifact repository) and local folders."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, error_line, pg_table_names, printed_server, sha256

ARTIFACTS = ROOT / "sample_data" / "mlartifacts"


@pytest.fixture
def served(tmp_path):
    """The sample store and its ./mlartifacts (made by `mlflow server` with artifact serving), copied."""
    d = tmp_path / "old"
    d.mkdir()
    shutil.copy(SAMPLE, d / "mlflow.db")
    shutil.copytree(ARTIFACTS, d / "mlartifacts")
    return d


def _files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha256(p) for p in root.rglob("*") if p.is_file()}


NO_STORAGE_CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "MLFLOW_S3_ENDPOINT_URL", "AWS_DEFAULT_REGION")


def test_whole_move_to_postgres_and_s3_serves_every_artifact(cli, served, pg_url, bucket, s3_server, tmp_path):
    """Proxied artifacts stay proxied: the bytes move to the bucket, the stored locations stay mlflow-artifacts:/,
    and the printed `mlflow server` line serves them from the bucket, to clients that have no S3 credentials;
    a new run's artifact, logged by such a client, lands in the bucket too."""
    import boto3

    before = sha256(served / "mlflow.db"), _files(served / "mlartifacts")
    dest = f"s3://{bucket}/mlartifacts/"
    r = cli("sqlite-to-pg", served / "mlflow.db", pg_url, "--move-artifacts", f"mlflow-artifacts:/={dest}",
            "--artifacts-destination", served / "mlartifacts", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["artifacts"]["copied"] == len(before[1]) and out["artifacts_verify"]["ok"]
    assert out["verify"]["ok"] and (sha256(served / "mlflow.db"), _files(served / "mlartifacts")) == before
    server = out["server"]
    assert server["argv"][server["argv"].index("--artifacts-destination") + 1] == dest
    assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} <= {k for k, v in server["env"].items() if v is None}
    secrets = {k: s3_server["env"][k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    client_env = {k: v for k, v in os.environ.items() if k not in NO_STORAGE_CREDENTIALS}
    script = """
import json, sys, tempfile
from pathlib import Path
from mlflow import MlflowClient
client = MlflowClient(sys.argv[1])
got = {}
for run in client.search_runs([e.experiment_id for e in client.search_experiments()], max_results=100):
    assert run.info.artifact_uri.startswith("mlflow-artifacts:/"), run.info.artifact_uri
    if client.list_artifacts(run.info.run_id):
        d = Path(client.download_artifacts(run.info.run_id, "", tempfile.mkdtemp()))
        for p in d.rglob("*"):
            if p.is_file():
                got[f"{run.info.experiment_id}/{run.info.run_id}/artifacts/{p.relative_to(d).as_posix()}"] = \
                    __import__("hashlib").sha256(p.read_bytes()).hexdigest()
exp = client.create_experiment("after-the-move")
run = client.create_run(exp)
f = Path(tempfile.mkdtemp()) / "new.txt"
f.write_text("logged after the move")
client.log_artifact(run.info.run_id, str(f))
print(json.dumps({"got": got, "new": [exp, run.info.run_id]}))
"""
    with printed_server(server, tmp_path, secrets) as base:
        c = subprocess.run([sys.executable, "-c", script, base], env=client_env, capture_output=True, text=True,
                           timeout=300)
    assert c.returncode == 0, c.stderr[-3000:]
    result = json.loads(c.stdout.strip().splitlines()[-1])
    got = result["got"]
    assert got and all(before[1][path] == digest for path, digest in got.items())  # byte-identical
    exp, run_id = result["new"]
    keys = [o["Key"] for o in boto3.client("s3", endpoint_url=s3_server["url"]).list_objects_v2(
        Bucket=bucket, Prefix=f"mlartifacts/{exp}/").get("Contents", [])]
    assert f"mlartifacts/{exp}/{run_id}/artifacts/new.txt" in keys  # the new artifact landed in the bucket


def test_missing_source_folder_is_named_and_nothing_is_written(cli, served, pg_url, bucket):
    model_dirs = sorted((served / "mlartifacts").glob("*/models/*"))
    gone = model_dirs[0]
    shutil.rmtree(gone)
    r = cli("sqlite-to-pg", served / "mlflow.db", pg_url, "--move-artifacts", f"mlflow-artifacts:/=s3://{bucket}/x/",
            "--artifacts-destination", served / "mlartifacts")
    assert r.exit_code == 3, r.output
    assert f"logged model {gone.name}" in r.stderr and "no artifacts at the source" in r.stderr
    assert "nothing was written to the database" in error_line(r)
    assert pg_table_names(pg_url) == []


def test_artifacts_verify_names_a_removed_or_truncated_file(cli, served, tmp_path):
    args = ["--from", "mlflow-artifacts:/", "--to", f"{tmp_path}/new/", "--artifacts-destination", served / "mlartifacts"]
    r = cli("artifacts", "copy", served / "mlflow.db", *args, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["synced"] is True and out["copied"] == out["files"] > 0  # flushed to disk before the summary
    logged = [json.loads(x) for x in Path(out["manifest"]).read_text().splitlines()]
    assert len(logged) == out["files"]
    for e in logged:  # the one-pass local copy records the sha256 and size of what it wrote
        written = Path(e["dst"]).read_bytes()
        assert (len(written), hashlib.sha256(written).hexdigest()) == (e["size"], e["sha256"])
        assert written == Path(e["src"]).read_bytes()
    assert not [p for p in (tmp_path / "new").rglob("*migrator-part*")]
    r = cli("artifacts", "copy", served / "mlflow.db", "--from", "mlflow-artifacts:/", "--to", f"{tmp_path}/fast/",
            "--artifacts-destination", served / "mlartifacts", "--no-sync", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["synced"] is False
    assert cli("artifacts", "verify", served / "mlflow.db", *args, "--deep").exit_code == 0
    files = sorted(p for p in (tmp_path / "new").rglob("*") if p.is_file())
    files[0].unlink()
    files[1].write_bytes(files[1].read_bytes()[:-1])
    r = cli("artifacts", "verify", served / "mlflow.db", *args, "--json")
    assert r.exit_code == 3
    problems = {d["path"]: d["problem"] for d in json.loads(r.stdout)["differences"]}
    assert problems[f"{tmp_path}/new/{files[0].relative_to(tmp_path / 'new').as_posix()}"] == "missing"
    assert "bytes, the source has" in problems[f"{tmp_path}/new/{files[1].relative_to(tmp_path / 'new').as_posix()}"]
    r = cli("verify", served / "mlflow.db", served / "mlflow.db", "--sample", "0", "--artifacts", "--rewrite-artifacts",
            f"mlflow-artifacts:/={tmp_path}/new/", "--artifacts-destination", served / "mlartifacts")
    assert r.exit_code == 3 and "[FAIL] artifacts" in r.stdout


def test_a_killed_copy_resumes_without_copying_a_file_twice(cli, served, bucket, tmp_path):
    bulk = next((served / "mlartifacts").glob("*/*/artifacts/notes")).parent / "bulk"
    bulk.mkdir()
    for i in range(300):
        (bulk / f"f{i:03d}.bin").write_bytes(os.urandom(4096) + str(i).encode())
    manifest = tmp_path / "m.jsonl"
    args = [served / "mlflow.db", "--from", "mlflow-artifacts:/", "--to", f"s3://{bucket}/m/", "--artifacts-destination",
            served / "mlartifacts", "--manifest", manifest, "--jobs", "1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # with the S3 endpoint variables of the fixture
    proc = subprocess.Popen([sys.executable, "-m", "migrator", "artifacts", "copy", *map(str, args)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not manifest.exists() or len(manifest.read_text().splitlines()) < 60:
        assert proc.poll() is None and time.monotonic() < deadline, "the copy ended before it could be killed"
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    logged = len({json.loads(x)["dst"] for x in manifest.read_text().splitlines() if x.endswith("}")})
    r = cli("artifacts", "copy", *args, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    total = out["files"]
    assert total >= 308 and out["skipped"] >= logged
    assert out["copied"] <= total - logged + 1  # at most the one file in flight at the kill is sent again
    assert len({json.loads(x)["dst"] for x in manifest.read_text().splitlines()}) == total
    assert cli("artifacts", "verify", *args[:7], "--deep").exit_code == 0


def test_an_unwritable_or_unreachable_destination_is_one_line_before_anything_is_written(cli, served, bucket, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    manifest = tmp_path / "m.jsonl"
    common = [served / "mlflow.db", "--from", "mlflow-artifacts:/", "--artifacts-destination", served / "mlartifacts",
              "--manifest", manifest]
    r = cli("artifacts", "copy", *common, "--to", f"{tmp_path}/a-file/new/")
    assert r.exit_code == 1
    assert error_line(r) == (f"Error: cannot copy artifacts to {tmp_path}/a-file/new/1: {tmp_path}/a-file is a file, "
                             "not a folder; give a folder")
    assert r.stderr.count("\n") == 1  # that line and nothing else, not one line per file
    r = cli("artifacts", "copy", *common, "--to", "s3://no-such-bucket-here/m/")
    assert r.exit_code == 1 and r.stderr.count("\n") == 1
    assert "cannot reach the artifact destination s3://no-such-bucket-here/m/1" in error_line(r)
    assert "does not exist" in error_line(r) and "credentials" in error_line(r)
    assert not manifest.exists()
    r = cli("artifacts", "copy", *common, "--to", f"s3://{bucket}/m/")  # the same command against a real bucket
    assert r.exit_code == 0, r.output
    # verify reads the new place: a missing bucket is the same one line (no traceback), exit 1
    r = cli("artifacts", "verify", *common[:5], "--to", "s3://no-such-bucket-here/m/")
    assert r.exit_code == 1 and r.stderr.count("\n") == 1
    assert "cannot reach the artifact destination s3://no-such-bucket-here/m/1" in error_line(r)
    assert cli("artifacts", "verify", *common[:5], "--to", f"s3://{bucket}/m/").exit_code == 0


def test_a_destination_without_its_trailing_slash_is_still_the_folder(cli, served, tmp_path):
    """--from mlflow-artifacts:/ --to DIR (no '/'): the files land inside DIR (DIR/1/...), never in DIR1/ beside it."""
    dest = tmp_path / "new"
    r = cli("artifacts", "copy", served / "mlflow.db", "--from", "mlflow-artifacts:/", "--to", dest,
            "--artifacts-destination", served / "mlartifacts", "--manifest", tmp_path / "m.jsonl")
    assert r.exit_code == 0, r.output
    assert _files(dest) == _files(served / "mlartifacts")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.jsonl", "new", "old"]


def test_overlapping_rules_send_each_file_to_one_place_the_longest_prefix(cli, served, tmp_path):
    """mlflow-artifacts:/=A/ and mlflow-artifacts:/1/=B/: experiment 1's files go to B only (as the rewrite of
    the stored locations says), the rest to A; verify agrees."""
    a, b = tmp_path / "A", tmp_path / "B"
    args = ["--from", "mlflow-artifacts:/", "--to", f"{a}/", "--from", "mlflow-artifacts:/1/", "--to", f"{b}/",
            "--artifacts-destination", served / "mlartifacts"]
    r = cli("artifacts", "copy", served / "mlflow.db", *args, "--manifest", tmp_path / "m.jsonl")
    assert r.exit_code == 0, r.output
    one = _files(served / "mlartifacts" / "1")
    assert one and _files(b) == one
    assert not (a / "1").exists()
    assert cli("artifacts", "verify", served / "mlflow.db", *args).exit_code == 0
