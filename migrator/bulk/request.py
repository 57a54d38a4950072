"""`migrator sqlite-to-pg` as one request: the command line's values, checked as a whole (`check`), turned into
stores and CopyOptions, and run by `run_move` (the embedded server started when no TARGET is given, the
artifacts moved first with --move-artifacts, the tracking and basic-auth stores copied and verified)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema
from ..artifacts import Rule, parse_user_rules
from ..errors import MigratorError, UsageError
from ..outcome import NULL_PROGRESS, Outcome, Progress
from ..serving import ServerLine, server_line
from ..stores import PostgresStore, Store, parse_store
from .move import move_server
from .result import CopyOptions
from .server import check_auth_stores

DEFAULT_REJECT_FILE = Path("migrator-rejects.jsonl")
_SERVED_ROOTS = ("mlflow-artifacts:/", "mlflow-artifacts:")  # the root a tracking server proxies


@dataclass
class MoveRequest:
    source: str
    target: str | None = None
    rewrite_artifacts: list[str] = field(default_factory=list)
    dry_run: bool = False
    on_bad_row: str = "fail"
    reject_file: Path | None = None
    replace: bool = False
    verify: bool = True
    renumber_experiments: bool = False
    mode: str = "sql"
    auth_db: str | None = None  # kept as typed: a URL given by mistake is named as a URL, never a path
    auth_target: str | None = None
    move_artifacts: list[str] = field(default_factory=list)
    artifacts_destination: str | None = None
    jobs: int | None = None
    auth_config: Path | None = None  # the old server's basic_auth.ini (its settings go into the new one)
    workspace: str | None = None  # merge the whole store into this workspace of a target that may hold others
    workspace_description: str | None = None
    workspace_artifact_root: str | None = None
    id_map: Path | None = None  # --workspace: where the id map goes (default ./migrator-workspace-NAME.json)
    auth_users: str = "refuse"  # --workspace --auth-db: a user name both sides hold: refuse, keep-target, keep-source
    online: bool = False  # phase one of an online move: the snapshot is kept for the cutover
    cutover: bool = False  # phase two: apply what changed since phase one (the old server stopped)
    state_dir: Path | None = None  # where the online move keeps its state (default ./migrator-online-<hash>)

    def check(self) -> None:
        """Every combination the command refuses, as a usage error (exit 2), before anything is opened."""
        if self.on_bad_row not in ("fail", "skip"):
            raise UsageError("Invalid value for '--on-bad-row': must be fail or skip")
        if self.mode not in ("sql", "client"):
            raise UsageError("Invalid value for '--mode': must be sql or client")
        if self.mode == "client":
            unsupported = [o for o, on in (("--dry-run", self.dry_run), ("--replace", self.replace),
                                           ("--reject-file", self.reject_file),
                                           ("--on-bad-row skip", self.on_bad_row == "skip"),
                                           ("--renumber-experiments", self.renumber_experiments),
                                           ("--auth-db", self.auth_db), ("--auth-target", self.auth_target)) if on]
            if unsupported:
                raise UsageError(f"Invalid value for '--mode': {', '.join(unsupported)} only apply to --mode sql")
        self.rules  # noqa: B018  (a malformed OLD=NEW is refused here)
        if self.auth_config is not None and not self.auth_config.is_file():
            raise MigratorError(f"--auth-config {self.auth_config} is not a file; give the old server's basic_auth.ini "
                                "(MLFLOW_AUTH_CONFIG_PATH), or leave it out for MLflow's defaults")
        src = parse_store(self.source)
        if isinstance(src, PostgresStore) and self.target is not None:
            tgt = parse_store(self.target)
            if isinstance(tgt, PostgresStore) and _same_database(src, tgt):
                raise MigratorError(f"source and target are the same database ({tgt.redacted}); give the new, "
                                    "empty database (or the server to merge into) as TARGET")
        check_auth_stores(*self.auth_stores())
        if self.workspace is not None:
            self._check_workspace()
        if self.online or self.cutover:
            self._check_online(src)

    def _check_online(self, src: Store) -> None:
        from ..stores import SqliteStore

        which = "--online" if self.online else "--cutover"
        refused = [o for o, on in (("--cutover", self.online and self.cutover), ("--mode client", self.mode != "sql"),
                                   ("--workspace", self.workspace is not None),
                                   ("--renumber-experiments", self.renumber_experiments),
                                   ("--on-bad-row skip", self.on_bad_row == "skip"),
                                   ("--move-artifacts", bool(self.move_artifacts)), ("--dry-run", self.dry_run),
                                   ("--auth-target", self.auth_target is not None)) if on]
        if self.cutover:
            refused += [o for o, on in (("--replace", self.replace), ("--rewrite-artifacts", bool(self.rewrite_artifacts)),
                                        ("--no-verify", not self.verify)) if on]
        if refused:
            raise UsageError(f"Invalid value for '{which}': not with {', '.join(refused)} (an online move copies one "
                             "SQLite store, with its basic-auth tables or --auth-db, into one PostgreSQL database; "
                             "move artifacts with `migrator artifacts copy` after the cutover)")
        if not isinstance(src, SqliteStore):
            raise UsageError(f"Invalid value for '{which}': SOURCE must be a SQLite store (the cutover compares its "
                             "file with phase one's snapshot)")
        if self.state_dir is not None and self.state_dir.exists() and not self.state_dir.is_dir():
            raise UsageError(f"Invalid value for '--state-dir': {self.state_dir} is not a folder")
        if self.online:
            folder = self.state_dir
            if folder is not None:
                from ..files import writable_parent

                writable_parent(folder / "state.json" if folder.is_dir() else folder, "the state folder (--state-dir)")

    def _check_workspace(self) -> None:
        from ..consolidate import check_name, default_map_file
        from ..files import writable_parent

        assert self.workspace is not None
        check_name(self.workspace)
        if self.auth_users not in ("refuse", "keep-target", "keep-source"):
            raise UsageError("Invalid value for '--auth-users': must be refuse, keep-target or keep-source")
        refused = [o for o, on in (("--mode client", self.mode != "sql"), ("--replace", self.replace),
                                   ("--renumber-experiments", self.renumber_experiments),
                                   ("--on-bad-row skip", self.on_bad_row == "skip"),
                                   ("no TARGET", self.target is None)) if on]
        if refused:
            raise UsageError(f"Invalid value for '--workspace': not with {', '.join(refused)} (a merge goes into a "
                             "given PostgreSQL TARGET, keeps every other row, and renumbers every experiment itself)")
        if not isinstance(parse_store(self.target or ""), PostgresStore):
            raise UsageError("Invalid value for '--workspace': TARGET must be a PostgreSQL URL")
        if any(r.old in _SERVED_ROOTS for r in parse_user_rules(self.rewrite_artifacts)):
            raise UsageError("Invalid value for '--rewrite-artifacts': with --workspace the proxied locations "
                             "(mlflow-artifacts:/) stay proxied under workspaces/NAME/; move their bytes with "
                             "--move-artifacts mlflow-artifacts:/=NEWROOT")
        if not self.dry_run:
            writable_parent(self.id_map or default_map_file(self.workspace), "the id map (--id-map)")

    def auth_stores(self) -> tuple[Store | None, Store | None]:
        return (parse_store(self.auth_db) if self.auth_db is not None else None,
                parse_store(self.auth_target) if self.auth_target is not None else None)

    @property
    def replaces(self) -> bool:
        """The run drops the target's MLflow tables (the caller confirms it first)."""
        return self.mode == "sql" and self.replace and not self.dry_run

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rewrite of the stored locations: --rewrite-artifacts, and --move-artifacts except a move of the
        whole proxied root, whose locations stay `mlflow-artifacts:/...` (served by the new server from NEW:
        clients need no storage credentials). Naming it in --rewrite-artifacts too rewrites them."""
        kept = self.served_from
        moved = [r for r in parse_user_rules(self.move_artifacts) if kept is None or r.old not in _SERVED_ROOTS]
        return parse_user_rules([*self.rewrite_artifacts, *(f"{r.old}={r.new}" for r in moved)])

    @property
    def served_from(self) -> str | None:
        """Where the new server serves `mlflow-artifacts:/` from (its --artifacts-destination): NEW of a move of
        the whole proxied root that --rewrite-artifacts does not also rewrite; None otherwise."""
        moves = [r for r in parse_user_rules(self.move_artifacts) if r.old in _SERVED_ROOTS]
        rewritten = {r.old for r in parse_user_rules(self.rewrite_artifacts)}
        return moves[0].new if moves and moves[0].old not in rewritten else None

    def copy_options(self) -> CopyOptions:
        reject = self.reject_file
        if self.on_bad_row == "skip" and reject is None:
            reject = DEFAULT_REJECT_FILE
        opts = CopyOptions(rules=self.rules, on_bad_row=self.on_bad_row, reject_file=reject, replace=self.replace,
                           dry_run=self.dry_run, verify=self.verify, renumber_experiments=self.renumber_experiments)
        if self.jobs is not None:
            opts.jobs = self.jobs
        return opts


@dataclass
class Moved(Outcome):
    """A move's result and the embedded server it went into (None: the TARGET given)."""

    result: Any
    embedded: PostgresStore | None = None
    server: ServerLine | None = None  # how to start the new server on the target
    online_state: Path | None = None  # --online: the state folder the cutover reads

    @property
    def failure(self) -> str | None:
        return self.result.failure if self.result.exit_code else None

    @property
    def failure_lines(self) -> list[str]:
        return self.result.failure_lines if self.result.exit_code else []

    def as_dict(self) -> dict[str, Any]:
        d = self.result.as_dict()
        if self.server is not None:
            d["server"] = self.server.as_dict()
        if self.online_state is not None:
            d["online_state"] = str(self.online_state)
        return d


def resolve_target(req: MoveRequest) -> tuple[Store | None, PostgresStore | None]:
    """(the target store, the embedded server when no TARGET was given: started, except for a dry run, which
    plans from the source alone)."""
    if req.target is not None:
        return parse_store(req.target), None
    if req.dry_run:
        return None, None
    from ..embedded import start_embedded

    embedded = start_embedded()
    return embedded, embedded


def run_move(req: MoveRequest, progress: Progress = NULL_PROGRESS) -> Outcome:
    """The SQL path of `sqlite-to-pg` (req.mode "sql"): every check first, then the move."""
    req.check()
    move_rules = parse_user_rules(req.move_artifacts)
    src = parse_store(req.source)
    auth_src, auth_tgt = req.auth_stores()
    if req.cutover:
        return _cutover(req, src, auth_src, progress)
    tgt, embedded = resolve_target(req)
    options = req.copy_options()
    if req.online:
        from .online import OnlineState, catch_up, default_state_dir

        options.online = OnlineState(req.state_dir or default_state_dir(src, tgt))
        if options.online.awaiting_cutover() and not req.replace:  # phase one again: catch up
            assert tgt is not None
            return catch_up(src, tgt, options.online.folder, progress, auth_source=auth_src)
        options.online.prepare()
    if req.workspace is not None:
        assert isinstance(tgt, PostgresStore)
        move_rules = _plan_merge(req, src, tgt, options, move_rules)
    result = move_server(src, tgt, options, auth_source=auth_src, auth_target=auth_tgt,
                         move_rules=move_rules, artifacts_destination=req.artifacts_destination, progress=progress)
    moved = Moved(result, embedded)
    if tgt is not None and not req.dry_run and not result.exit_code:
        auth = _moved_auth(result, auth_tgt or tgt)
        served = req.served_from or (None if req.workspace is not None else _proxied(src, req))
        moved.server = server_line(tgt, artifacts_destination=served, auth=auth, auth_config=req.auth_config)
        if req.workspace is not None and served is None and _proxied(src, req) is not None:
            moved.server.notes.append(
                f"the source's proxied artifacts now live under mlflow-artifacts:/workspaces/{req.workspace}/<new "
                "experiment id>/: copy them to the target server's --artifacts-destination with the same command "
                f"and --move-artifacts mlflow-artifacts:/=ITS_ROOT --artifacts-destination {_proxied(src, req)}")
        _secret_notes(src, moved.server)
        if options.online is not None:
            moved.online_state = options.online.folder
    return moved


def _cutover(req: MoveRequest, src: Store, auth_src: Store | None, progress: Progress) -> Outcome:
    from .online import cutover, default_state_dir

    tgt, _embedded = resolve_target(req)
    assert tgt is not None
    result = cutover(src, tgt, req.state_dir or default_state_dir(src, tgt), progress, auth_source=auth_src)
    auth = tgt if schema.AUTH in result.kinds else None
    result.server = server_line(tgt, artifacts_destination=req.served_from or _proxied(src, req), auth=auth,
                                auth_config=req.auth_config)
    _secret_notes(src, result.server)
    return result


def _plan_merge(req: MoveRequest, src: Store, tgt: PostgresStore, options: CopyOptions,
                move_rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """--workspace: the target checked and the experiments' new ids reserved (merge.plan_workspace); the
    proxied locations rewritten under workspaces/NAME/<new id>/, and a move of the proxied root's bytes
    sent there too. Returns the artifact move's rules."""
    from ..consolidate import WorkspaceMerge, default_map_file
    from .merge import earlier_merge, plan_auth, plan_workspace

    assert req.workspace is not None
    merge = WorkspaceMerge(req.workspace, req.workspace_description, req.workspace_artifact_root,
                           None if req.dry_run else (req.id_map or default_map_file(req.workspace)),
                           auth_users=req.auth_users)
    auth_src, auth_tgt = req.auth_stores()
    if not req.dry_run:
        earlier_merge(merge, tgt, auth_tgt if isinstance(auth_tgt, PostgresStore) else None)
    plan_workspace(merge, src, tgt, req.dry_run)
    if auth_src is None and schema.AUTH in _kinds(src):
        auth_src = src  # MLflow >= 3.6 keeps the basic-auth tables beside the tracking ones
    if auth_src is not None and schema.AUTH not in merge.done:
        plan_auth(merge, auth_src, auth_tgt if isinstance(auth_tgt, PostgresStore) else tgt)
    options.workspace = merge
    options.rules = tuple(sorted(set(options.rules) | set(merge.rules("mlflow-artifacts:/")),
                                 key=lambda r: (-len(r.old), r.old)))
    out: list[Rule] = []
    for r in move_rules:
        out += merge.rules(r.new) if r.old in _SERVED_ROOTS else [r]
    return tuple(sorted(set(out), key=lambda r: (-len(r.old), r.old)))


def _same_database(a: PostgresStore, b: PostgresStore) -> bool:
    from sqlalchemy.engine import make_url

    ua, ub = make_url(a.url), make_url(b.url)
    where = ("host", "port", "database")
    return all(getattr(ua, k) == getattr(ub, k) for k in where) and ua.query.get("host") == ub.query.get("host")


def _kinds(store: Store) -> list[str]:
    with store.open_readonly() as db:
        return db.kinds()


def _secret_notes(src: Store, line: Any) -> None:
    """Gateway secrets travel as encrypted bytes: the new server needs the old one's passphrase; leases of the
    old server's job runner that still run say when the new server may start."""
    from ..coordination import live_rows_note
    from ..secrets import development_passphrase_note, secret_count

    with src.open_readonly() as db:
        n = secret_count(db)
        weak = development_passphrase_note(db) if n else None
        leases = live_rows_note(db)
    if leases:
        line.notes.append(leases)
    if not n:
        return
    if weak:
        line.notes.append(f"warning: {weak}")
    else:
        line.env["MLFLOW_CRYPTO_KEK_PASSPHRASE"] = None
        line.notes.append(f"{n} gateway secret(s) moved encrypted: start the new server with the old one's "
                          "MLFLOW_CRYPTO_KEK_PASSPHRASE (`migrator verify --kek-passphrase-env NAME` proves it "
                          "decrypts them)")


def _moved_auth(result: Any, where: Store) -> Store | None:
    """The store the basic-auth tables went to, when the move copied one."""
    return where if schema.AUTH in getattr(result, "results", {}) else None


def _proxied(src: Store, req: MoveRequest) -> str | None:
    """Locations still `mlflow-artifacts:/` and no move of them: the old server's artifact root (as given, or
    ./mlartifacts beside a SQLite store) serves them."""
    with src.open_readonly() as db:
        if not db.uses_proxied_artifacts():
            return None
    if req.artifacts_destination:
        return req.artifacts_destination
    beside = src.path.parent / "mlartifacts" if src.path is not None else None
    return str(beside) if beside is not None and beside.is_dir() else "./mlartifacts"
