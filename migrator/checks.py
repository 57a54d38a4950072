"""The named checks every proof runs, in one place: `verify`, the check inside `sqlite-to-pg` (verify_content)
and the restore drills of backups all take them from here, so a check added here is run by every caller.

- `same_revision`: a side that is migrator's private copy and older than the other side (at the installed head)
  is brought to the head with MLflow's own migrations first (the store is untouched); never a row compare across
  revisions.
- `same_experiment_ids`: a private copy whose experiment ids do not fit PostgreSQL, against a side that holds them
  renumbered by `sqlite-to-pg --renumber-experiments`, is renumbered the same way first.
- `schema_checks`: the revision of both sides, and every sequence past its column's maximum.
- `restored_checks`: a restored database against what its backup's manifest says (revision, rows per table),
  and its sequences (a restore drill).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import renumber as renumbering
from . import schema
from .stores import Side


@dataclass
class Check:
    """One named check of a proof: its name, whether it held, and what was found."""

    name: str
    ok: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


def revision_check(src: Side, tgt: Side) -> Check:
    a, b = src.revision(), tgt.revision()
    name = "schema revision" if src.store_kind == schema.TRACKING else "auth schema revision"
    return Check(name, a == b, f"source {a}, target {b}")


def schema_checks(src: Side, tgt: Side) -> list[Check]:
    """The revision of both sides, and every sequence of each side past its column's maximum."""
    checks = [revision_check(src, tgt)]
    for label, side in (("source", src), ("target", tgt)):
        checks += [Check(*c) for c in side.sequence_checks(label)]
    return checks


def _bring_to_other(side: Side, other: Side, label: str) -> Check | None:
    kind = side.store_kind
    rev, other_rev = side.revision(), other.revision()
    if not (side.private_copy and rev != other_rev and other_rev == schema.installed_head(kind)
            and schema.compare_to_installed(rev, kind) == "older"):
        return None
    side.bring_to_head()
    what = "auth " if kind == schema.AUTH else ""
    return Check(f"{label} {what}upgraded", True, f"the {label} snapshot was upgraded from {rev} to {other_rev} with "
                 f"MLflow's {what}migrations before comparing (the store is untouched)")


def same_revision(src: Side, tgt: Side) -> list[Check]:
    return [c for label, side, other in (("source", src, tgt), ("target", tgt, src))
            if (c := _bring_to_other(side, other, label)) is not None]


def _renumbered(side: Side, other: Side, label: str) -> Check | None:
    big = side.out_of_range_experiment_ids() if side.private_copy and not other.private_copy else []
    if not big:
        return None
    rows = other.query("SELECT value, experiment_id FROM experiment_tags WHERE key = ?", [renumbering.SOURCE_ID_TAG])
    mapping = renumbering.mapping_from_tags([tuple(r) for r in rows])
    if not all(b in mapping for b in big):
        return None  # not renumbered by migrator: the row compare reports the differences
    side.renumber({b: mapping[b] for b in big})
    return Check("experiment ids renumbered", True,
                 f"{len(big)} experiment id(s) of the {label} that do not fit PostgreSQL's integer were compared "
                 f"under the new ids recorded in the other side's {renumbering.SOURCE_ID_TAG} tags")


def same_experiment_ids(src: Side, tgt: Side) -> list[Check]:
    return [c for label, side, other in (("source", src, tgt), ("target", tgt, src))
            if (c := _renumbered(side, other, label)) is not None]


def restored_checks(side: Side, revision: str | None, tables: dict[str, int]) -> list[Check]:
    """A restore (drill) against its manifest: the revision, the rows of every table, every sequence."""
    got_rev = side.revision()
    checks = [Check("schema revision", got_rev == revision, f"restored {got_rev}, manifest {revision}")]
    counts = {t: side.count(t) for t in side.all_tables if t in tables or t in side.tables}
    bad = [f"{t}: {counts.get(t)} rows, manifest says {tables.get(t)}" for t in sorted(set(tables) | set(counts))
           if counts.get(t) != tables.get(t)]
    checks.append(Check("row counts", not bad, "; ".join(bad[:10]) or f"{len(tables)} tables as the manifest says"))
    checks += [Check(*c) for c in side.sequence_checks("restored")]
    return checks
