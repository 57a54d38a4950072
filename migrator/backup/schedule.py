"""`migrator schedule`: nightly `migrator backup` as a systemd timer, a flock-guarded crontab line or a
Kubernetes CronJob.

Credentials never go into a unit file, a crontab, a CronJob or argv: the store address in the command is
the URL without its password; the password reaches libpq (and pg_dump) through a libpq password file
(PGPASSFILE, mode 0600, written only by `--install`) for systemd and cron, and through a Kubernetes
Secret (PGPASSWORD from secretKeyRef) for the CronJob.

A remote destination or artifact store (s3://, gs://, wasbs://, ...) needs its storage variables (the
AWS_* keys, MLFLOW_S3_ENDPOINT_URL, GOOGLE_APPLICATION_CREDENTIALS, AZURE_STORAGE_*, ...). Those set when
`schedule` runs go into an environment file of mode 0600 (systemd EnvironmentFile=; cron sources it in
`sh -c`), or into the same Kubernetes Secret; never into the unit, the crontab line or the CronJob.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..environment import ARTIFACTS_ENV, DEST_ENV, HEALTHCHECK_ENV
from ..errors import MigratorError, UsageError
from ..files import open_private, private_dir
from ..stores import make_url, parse_store, redact
from ..version import __version__

FORMATS = ("systemd", "cron", "k8s")


@dataclass
class Schedule:
    files: dict[str, str]  # what is printed / installed (never a password)
    secret_files: dict[str, str] = field(default_factory=dict)  # path -> content, written 0600 by --install
    notes: list[str] = field(default_factory=list)


DEFAULT_IMAGE = f"migrator:{__version__}"  # the CronJob's image, built from the repository's Dockerfile


def backup_command(store: str, dest: str | None, options: list[str]) -> list[str]:
    """`dest` None: the job reads it from its environment (a URL with a password)."""
    exe = Path(sys.argv[0]).resolve() if Path(sys.argv[0]).name == "migrator" else None
    head = [str(exe)] if exe else [sys.executable, "-m", "migrator"]
    return head + ["backup", store, *(["--dest", dest] if dest is not None else []), *options]


def _systemd_escape(text: str) -> str:
    return text.replace("%", "%%")  # systemd expands %-specifiers in unit settings


def _hhmm(at: str) -> tuple[int, int]:
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", at)
    if not m:
        raise UsageError(f"--at {at!r} must be HH:MM (24-hour), e.g. 03:15")
    return int(m.group(1)), int(m.group(2))


def split_credentials(store: str) -> tuple[str, str | None, str | None]:
    """(address without password, password, its .pgpass line) of a store address."""
    st = parse_store(store)
    clean, password = st.credentials()
    if password is None:
        return clean, None, None
    u = make_url(st.url)

    def esc(v: object) -> str:
        return str(v).replace("\\", "\\\\").replace(":", "\\:")

    # host, port and database '*': the file serves this job only (PGPASSFILE; the auth database of the same
    # server too), and a socket folder in the URL would otherwise have to be spelled the way libpq matches it
    line = ":".join(esc(x) for x in ("*", "*", "*", u.username or "*", password))
    return clean, password, line + "\n"


# what MLflow's artifact repositories read from the environment (boto3, google-cloud-storage, azure, sftp)
STORAGE_VARS = (
    "MLFLOW_S3_ENDPOINT_URL", "MLFLOW_S3_IGNORE_TLS", "MLFLOW_S3_UPLOAD_EXTRA_ARGS", "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE",
    "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_CA_BUNDLE", "GOOGLE_APPLICATION_CREDENTIALS",
    "GOOGLE_CLOUD_PROJECT", "AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_ACCESS_KEY", "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID", "MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT",
)


def storage_environment(uris: list[str | None], environ: dict[str, str]) -> dict[str, str]:
    """The storage variables a job needs: those set now, when a destination or artifact store is remote."""
    if not any(u and "://" in u and not u.startswith("file://") for u in uris):
        return {}
    return {k: environ[k] for k in STORAGE_VARS if environ.get(k)}


def _env_line(key: str, value: str) -> str:
    """KEY='value' as both sh (sourced with set -a) and systemd's EnvironmentFile= read it."""
    if "'" not in value and "\n" not in value:
        return f"{key}='{value}'\n"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")
    return f'{key}="{escaped}"\n'


def _cron_escape(text: str) -> str:
    return text.replace("%", "\\%")  # crontab turns an unescaped % into a newline


def render(fmt: str, store: str, dest: str | None, at: str, options: list[str], name: str = "migrator-backup",
           credentials_file: Path | None = None, storage: dict[str, str] | None = None,
           env_file: Path | None = None, image: str = DEFAULT_IMAGE) -> Schedule:
    """The files for the chosen format, and the secret files --install writes (0600). `storage`: the
    object-storage variables the job needs (see storage_environment)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r}: use systemd, cron or k8s")
    hh, mm = _hhmm(at)
    clean, password, pgpass = split_credentials(store)
    cmd = backup_command(clean, dest, options)
    line = shlex.join(cmd)
    passfile = (credentials_file or Path.home() / ".config" / "migrator" / f"{name}.pgpass").expanduser().resolve()
    out = Schedule({})
    storage = storage or {}
    envfile = (env_file or Path.home() / ".config" / "migrator" / f"{name}.env").expanduser().resolve()
    if storage and fmt != "k8s":
        out.secret_files[str(envfile)] = "".join(_env_line(k, v) for k, v in storage.items())
        out.notes.append(f"the variables the job needs ({', '.join(storage)}) go in {envfile} (mode 0600): "
                         "--install writes it")
    if password is not None and fmt != "k8s":
        out.secret_files[str(passfile)] = pgpass or ""
        out.notes.append(f"the password goes in {passfile} (libpq password file, mode 0600): --install writes it; "
                         "or create it yourself with the line host:port:database:user:password")
    if fmt == "systemd":
        env = f"Environment={_systemd_escape(shlex.quote(f'PGPASSFILE={passfile}'))}\n" if password is not None else ""
        env += f"EnvironmentFile={_systemd_escape(str(envfile))}\n" if storage else ""
        out.files[f"{name}.service"] = f"""[Unit]
Description=migrator backup of an MLflow store ({_systemd_escape(clean.split('@')[-1])})
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
UMask=0077
{env}ExecStart={_systemd_escape(line)}
"""
        out.files[f"{name}.timer"] = f"""[Unit]
Description=Nightly migrator backup

[Timer]
OnCalendar=*-*-* {hh:02d}:{mm:02d}:00
Persistent=true
RandomizedDelaySec=600

[Install]
WantedBy=timers.target
"""
    elif fmt == "cron":
        lock = f"/tmp/{name}.lock"
        env = f"PGPASSFILE={shlex.quote(str(passfile))} " if password is not None else ""
        if storage:  # the variables are read from the file by the shell, never put on a command line
            line = "sh -c " + shlex.quote(f"set -a && . {shlex.quote(str(envfile))} && set +a && exec {line}")
        out.files["crontab"] = _cron_escape(f"{mm} {hh} * * * {env}flock -n {lock} {line}") + "\n"
    else:
        secret = ({"PGPASSWORD": password} if password is not None else {}) | storage
        out.files[f"{name}.yaml"] = _cronjob(name, hh, mm, ["migrator", *cmd[cmd.index("backup"):]], list(secret),
                                             image)
        out.notes.append(f"the CronJob runs the image {image}: build it from this repository's Dockerfile "
                         f"(docker build -t {image} .) and push it where the cluster pulls images, or give --image")
        if secret:
            out.secret_files[f"{name}-credentials.yaml"] = (
                f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}-credentials\ntype: Opaque\n"
                "stringData:\n" + "".join(f"  {k}: {_yaml_quote(v)}\n" for k, v in secret.items()))
            out.notes.append(f"the CronJob reads {', '.join(secret)} from the Secret {name}-credentials: --install "
                             f"writes {name}-credentials.yaml (0600; kubectl apply -f it); or run: kubectl create "
                             f"secret generic {name}-credentials --from-literal=KEY=...")
    return out


def _yaml_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _cronjob(name: str, hh: int, mm: int, argv: list[str], secret_keys: list[str], image: str) -> str:
    args = "\n".join(f"            - {_yaml_quote(a)}" for a in argv)
    env = ("\n            env:" + "".join(f"""
            - name: {key}
              valueFrom:
                secretKeyRef:
                  name: {name}-credentials
                  key: {key}""" for key in secret_keys)) if secret_keys else ""
    return f"""apiVersion: batch/v1
kind: CronJob
metadata:
  name: {name}
spec:
  schedule: "{mm} {hh} * * *"
  concurrencyPolicy: Forbid
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 3
  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: migrator-backup
            image: {image}
            command:
{args}{env}
"""


def install(fmt: str, schedule: Schedule, directory: Path | None) -> list[str]:
    """Write the secret files (0600), then the unit files / CronJob, or add the crontab line; every place is
    checked first, so a refusal writes nothing."""
    target = directory or (Path("/etc/systemd/system") if fmt == "systemd" else Path.cwd())
    secret_paths = [Path(path) if Path(path).is_absolute() else (directory or Path.cwd()) / path
                    for path in schedule.secret_files]
    for folder, what in [*((p.parent, "the secret file's folder") for p in secret_paths),
                         *([] if fmt == "cron" else [(target, "--install-dir")])]:
        _check_writable_folder(folder, what)
    if fmt == "cron" and shutil.which("crontab") is None:
        raise MigratorError("crontab is not installed here; install cron, or print the line (without --install) and "
                            "add it where cron runs")
    done = []
    for p, content in zip(secret_paths, schedule.secret_files.values()):
        private_dir(p.parent)
        with open_private(p) as f:
            f.write(content)
        done.append(f"{p} (mode 0600)")
    files = schedule.files
    if fmt == "cron":
        line = files["crontab"]
        cur = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
        existing = cur.stdout if cur.returncode == 0 else ""
        if line in existing:
            return done + ["crontab already holds this line"]
        r = subprocess.run(["crontab", "-"], input=existing + line, text=True, capture_output=True)
        if r.returncode != 0:
            raise MigratorError(f"crontab refused the line: {r.stderr.strip()}")
        return done + ["added to the crontab"]
    target.mkdir(parents=True, exist_ok=True)
    for fname, content in files.items():
        with open_private(target / fname) as f:  # no secret inside, but nobody else needs to read it
            f.write(content)
        done.append(str(target / fname))
    if fmt == "systemd":
        done.append(f"now run: systemctl daemon-reload && systemctl enable --now {next(iter(files)).replace('.service', '.timer')}")
    return done


def _check_writable_folder(folder: Path, what: str) -> None:
    """`folder` exists as a writable folder, or can be made inside one."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise MigratorError(f"{what} {folder}: {probe} is a file, not a folder; choose another folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise MigratorError(f"{what} {folder}: {probe} is not writable; choose a folder you can write (or run as "
                            "a user who can)")


@dataclass
class ScheduleRequest:
    """`migrator schedule`: the nightly job's store, destination, time and the `migrator backup` options it
    passes on (paths made absolute, passwords kept out of the job's arguments)."""

    store: str
    dest: str
    at: str
    fmt: str = "systemd"
    policy: Any = None  # retention.Policy
    compress: str = "gzip"
    healthcheck_url: str | None = None
    auth_db: str | None = None
    metrics_file: Path | None = None
    artifacts: str | None = None
    jobs: int | None = None
    env_file: Path | None = None
    credentials_file: Path | None = None
    image: str = ""  # the CronJob's container image (default DEFAULT_IMAGE)

    def check(self) -> None:
        """What `migrator backup` would refuse is refused now, before a unit or crontab line holds it."""
        from .metrics import check_path

        if self.compress not in ("gzip", "zstd", "none"):
            raise UsageError("Invalid value for '--compress': must be gzip, zstd or none")
        if self.metrics_file is not None:
            check_path(self.metrics_file)

    def backup_options(self) -> list[str]:
        opts = ["--compress", self.compress]
        p = self.policy
        for flag, n in (("--keep-daily", p.daily if p else 0), ("--keep-weekly", p.weekly if p else 0),
                        ("--keep-monthly", p.monthly if p else 0)):
            if n:
                opts += [flag, str(n)]
        if self.healthcheck_url and HEALTHCHECK_ENV not in self.secrets():
            opts += ["--healthcheck-url", self.healthcheck_url]
        if self.metrics_file is not None:
            opts += ["--metrics-file", str(self.metrics_file.expanduser().resolve())]
        if self.artifacts and ARTIFACTS_ENV not in self.secrets():
            opts += ["--artifacts", self.artifacts if "://" in self.artifacts
                     else str(Path(self.artifacts).expanduser().resolve())]
        if self.jobs:
            opts += ["--jobs", str(self.jobs)]
        if self.auth_db:
            clean, password, _ = split_credentials(self.auth_db)
            if password is not None and password != split_credentials(self.store)[1]:
                raise UsageError("Invalid value for '--auth-db': a password in --auth-db other than the store's cannot "
                                 "be kept out of the job: put it in ~/.pgpass or PGPASSFILE of the service user")
            opts += ["--auth-db", clean]
        return opts

    def secrets(self) -> dict[str, str]:
        """URLs with a password (in userinfo or a password= parameter): the job reads them from its 0600
        environment file or Kubernetes Secret, never from its argument list or unit."""
        urls = {DEST_ENV: self.dest, ARTIFACTS_ENV: self.artifacts, HEALTHCHECK_ENV: self.healthcheck_url}
        return {k: v for k, v in urls.items() if v and redact(v) != v}


@dataclass
class PlannedSchedule:
    fmt: str
    schedule: Schedule

    def install(self, directory: Path | None) -> list[str]:
        return install(self.fmt, self.schedule, directory)


def plan_schedule(req: ScheduleRequest) -> PlannedSchedule:
    """The job's files (and secret files) for `req`; nothing is written until `install`."""
    from .destination import is_remote

    req.check()
    where = req.dest if is_remote(req.dest) else str(Path(req.dest).expanduser().resolve())
    secrets = req.secrets()
    storage = storage_environment([where, req.artifacts], dict(os.environ)) | secrets
    plan = render(req.fmt, req.store, None if DEST_ENV in secrets else where, req.at, req.backup_options(),
                  credentials_file=req.credentials_file, storage=storage, env_file=req.env_file,
                  image=req.image or DEFAULT_IMAGE)
    return PlannedSchedule(req.fmt, plan)
