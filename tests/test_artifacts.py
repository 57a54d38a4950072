from hypothesis import given
from hypothesis import strategies as st

from migrator.artifacts import Rule, parse_rule, parse_rules, rewrite_uri
from migrator.inspection import artifact_prefix

uris = st.text(alphabet="abc:/-_.", max_size=30)
rule_lists = st.lists(st.tuples(st.text(alphabet="abc:/", min_size=1, max_size=8), st.text(alphabet="xyz:/", max_size=8)),
                      max_size=4, unique_by=lambda t: t[0])


def _rules(pairs):
    return parse_rules([f"{o}={n}" for o, n in pairs])


@given(uris, rule_lists)
def test_unmatched_uris_are_untouched(uri, pairs):
    rules = _rules(pairs)
    if not any(uri.startswith(r.old) for r in rules):
        assert rewrite_uri(uri, rules) == uri


@given(uris, rule_lists)
def test_longest_prefix_wins(uri, pairs):
    rules = _rules(pairs)
    matches = [r for r in rules if uri.startswith(r.old)]
    if matches:
        best = max(matches, key=lambda r: len(r.old))
        assert rewrite_uri(uri, rules) == best.new + uri[len(best.old):]


@given(uris, st.text(alphabet="abc:/", min_size=1, max_size=8), st.text(alphabet="xyz", max_size=8))
def test_rewrite_is_idempotent_when_new_is_outside_old(uri, old, new):
    rules = (Rule(old, "s3://" + new),)
    once = rewrite_uri(uri, rules)
    if not ("s3://" + new).startswith(old):
        assert rewrite_uri(once, rules) == once


def test_parse_rule_and_none():
    assert parse_rule("a=b=c") == Rule("a", "b=c")
    assert rewrite_uri(None, (Rule("a", "b"),)) is None
    assert [r.old for r in parse_rules(["/a/=x", "/a/b/=y"])] == ["/a/b/", "/a/"]


def test_artifact_prefix():
    assert artifact_prefix("mlflow-artifacts:/1/abc/artifacts") == "mlflow-artifacts:/"
    assert artifact_prefix("/data/mlruns/3/x/artifacts") == "/data/mlruns/"
    assert artifact_prefix("file:///tmp/x/12") == "file:///tmp/x/"
    assert artifact_prefix("s3://bucket/path/5/run/artifacts") == "s3://bucket/path/"
    assert artifact_prefix("models:/m-abc") == "models:/"
