import datetime as dt

import pytest

from migrator.backup.retention import Policy, plan
from migrator.errors import MigratorError


def _t(s):
    return dt.datetime.fromisoformat(s)


def _kept(times, policy):
    remove, _ = plan(times, lambda x: x, policy)
    return sorted(t.isoformat() for t in times if t not in remove)


def test_gaps_between_days_count_only_days_with_backups():
    times = [_t("2026-11-01T03:00"), _t("2026-11-02T03:00"), _t("2026-11-05T03:00"), _t("2026-11-09T03:00")]
    assert _kept(times, Policy(daily=3)) == ["2026-11-02T03:00:00", "2026-11-05T03:00:00", "2026-11-09T03:00:00"]


def test_several_backups_a_day_keep_the_last_of_each_day():
    times = [_t("2026-11-01T01:00"), _t("2026-11-01T12:00"), _t("2026-11-01T23:00"), _t("2026-11-02T10:00")]
    assert _kept(times, Policy(daily=2)) == ["2026-11-01T23:00:00", "2026-11-02T10:00:00"]


def test_daily_weekly_monthly_overlap_are_ored():
    start = _t("2026-09-01T03:00")
    times = [start + dt.timedelta(days=i) for i in range(70)]  # up to Monday 2026-11-09
    assert times[-1].date() == dt.date(2026, 11, 9)
    expected = ["2026-09-30", "2026-10-25", "2026-10-31", "2026-11-01", "2026-11-03", "2026-11-04", "2026-11-05",
                "2026-11-06", "2026-11-07", "2026-11-08", "2026-11-09"]
    assert [k[:10] for k in _kept(times, Policy(daily=7, weekly=4, monthly=3))] == expected


def test_weekly_uses_iso_weeks_and_monthly_calendar_months():
    times = [_t("2026-12-27T00:00"), _t("2026-12-31T00:00"), _t("2027-01-01T00:00"), _t("2027-01-03T00:00")]
    # ISO week 2026-W53 runs Mon 28 Dec .. Sun 3 Jan: 31 Dec, 1 and 3 Jan share it
    assert _kept(times, Policy(weekly=2)) == ["2026-12-27T00:00:00", "2027-01-03T00:00:00"]
    assert _kept(times, Policy(monthly=2)) == ["2026-12-31T00:00:00", "2027-01-03T00:00:00"]


def test_newest_is_always_kept_and_empty_policy_refused():
    times = [_t("2026-11-01T03:00"), _t("2026-11-02T03:00")]
    assert "2026-11-02T03:00:00" in _kept(times, Policy(monthly=1))
    with pytest.raises(MigratorError, match="empty retention policy"):
        plan(times, lambda x: x, Policy())
