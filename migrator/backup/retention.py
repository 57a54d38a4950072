"""Retention with restic's semantics (`restic forget --keep-daily/weekly/monthly`).

keep-daily N keeps the newest backup of each of the last N days that have backups (days without a
backup do not count); weekly uses ISO weeks, monthly calendar months; the rules are OR'ed; the
newest backup is always kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Sequence, TypeVar

from ..errors import UsageError

T = TypeVar("T")


@dataclass(frozen=True)
class Policy:
    daily: int = 0
    weekly: int = 0
    monthly: int = 0

    def empty(self) -> bool:
        return not (self.daily or self.weekly or self.monthly)

    def require(self) -> None:
        """Refuse a policy that keeps nothing, or a negative count (usage mistakes)."""
        if min(self.daily, self.weekly, self.monthly) < 0:
            raise UsageError("--keep-daily, --keep-weekly and --keep-monthly take counts of 0 or more")
        if self.empty():
            raise UsageError("an empty retention policy would delete every backup: give --keep-daily, "
                             "--keep-weekly and/or --keep-monthly")


BUCKETS: dict[str, Callable[[dt.datetime], tuple]] = {
    "daily": lambda t: (t.year, t.month, t.day),
    "weekly": lambda t: tuple(t.isocalendar()[:2]),
    "monthly": lambda t: (t.year, t.month),
}


def plan(items: Sequence[T], when: Callable[[T], dt.datetime], policy: Policy) -> tuple[list[T], dict[int, list[str]]]:
    """Return (items to remove, {index: reasons kept}) for items in any order."""
    policy.require()
    order = sorted(range(len(items)), key=lambda i: when(items[i]), reverse=True)
    reasons: dict[int, list[str]] = {}
    for rule, bucket in BUCKETS.items():
        n = getattr(policy, rule)
        seen: set[tuple] = set()
        for i in order:
            if len(seen) >= n:
                break
            b = bucket(when(items[i]))
            if b in seen:
                continue
            seen.add(b)
            reasons.setdefault(i, []).append(f"{rule} {'-'.join(map(str, b))}")
    if order:
        reasons.setdefault(order[0], []).append("newest")
    remove = [items[i] for i in order if i not in reasons]
    return remove, reasons
