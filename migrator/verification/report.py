"""What a verification returns: per-table results and named checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..checks import Check
from ..outcome import Outcome


@dataclass
class TableCheck:
    table: str
    source_rows: int | None
    target_rows: int | None
    status: str = "ok"  # ok | mismatch | missing_in_source | missing_in_target
    differences: list[dict[str, Any]] = field(default_factory=list)
    differing_rows: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"table": self.table, "source_rows": self.source_rows, "target_rows": self.target_rows,
                "status": self.status, "differing_rows": self.differing_rows, "differences": self.differences}

@dataclass
class VerifyReport(Outcome):
    tables: list[TableCheck] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    artifacts: Any = None  # a transfer.ArtifactResult when the artifacts were compared too

    @property
    def ok(self) -> bool:
        return all(t.status == "ok" for t in self.tables) and all(c.ok for c in self.checks)

    def summary(self) -> str:
        bad = [t.table for t in self.tables if t.status != "ok"]
        badc = [c.name for c in self.checks if not c.ok]
        parts = []
        if bad:
            parts.append("tables differ: " + ", ".join(bad))
        if badc:
            parts.append("checks failed: " + ", ".join(badc))
        return "; ".join(parts) or "all match"


    @property
    def failure(self) -> str | None:
        return None if self.ok else f"source and target differ ({self.summary()})"

    def add_artifacts(self, res: Any) -> None:
        """The artifact check (a transfer.ArtifactResult) as one more named check."""
        self.artifacts = res
        self.checks.append(Check("artifacts", res.ok, f"{res.files:,} file(s) under {res.locations} location(s)"
                                 + ("" if res.ok else ": " + "; ".join(res.failure_lines[:10]))))

    def as_dict(self) -> dict[str, Any]:
        out = {"ok": self.ok, "tables": [t.as_dict() for t in self.tables],
               "checks": [c.as_dict() for c in self.checks]}
        if self.artifacts is not None:
            out["artifacts"] = self.artifacts.as_dict()
        return out
