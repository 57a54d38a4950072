"""A store whose GenAI, gateway, MCP and review tables have rows, made with MLflow's own APIs, and a
read-back of those objects through MLflow (to compare a source with its copy)."""

from __future__ import annotations

from typing import Any

EXPERIMENT = "genai"


def make_genai_store(uri: str, artifact_location: str) -> None:
    import mlflow
    from mlflow import MlflowClient
    from mlflow.entities import (
        AssessmentSource,
        BudgetAction,
        BudgetDuration,
        BudgetDurationUnit,
        BudgetTargetScope,
        BudgetUnit,
        GatewayEndpointModelConfig,
        GatewayEndpointTag,
        GatewayModelLinkageType,
    )
    from mlflow.genai.datasets import create_dataset
    from mlflow.genai.label_schemas import InputCategorical
    from mlflow.genai.scorers import Correctness
    from mlflow.tracking._tracking_service.utils import _get_store

    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    client = MlflowClient()
    store = _get_store()
    exp = client.create_experiment(EXPERIMENT, artifact_location=artifact_location)
    mlflow.set_experiment(experiment_id=exp)

    @mlflow.trace(name="agent")
    def agent(q: str) -> str:
        with mlflow.start_span(name="llm", span_type="LLM") as s:
            s.set_inputs({"q": q})
            s.set_outputs({"a": q[::-1]})
        return q[::-1]

    for i in range(3):
        agent(f"hello {i} ü")
    if hasattr(mlflow, "flush_trace_async_logging"):
        mlflow.flush_trace_async_logging()
    trace_id = mlflow.search_traces(locations=[exp], return_type="list")[0].info.trace_id
    mlflow.log_feedback(trace_id=trace_id, name="quality", value=True, rationale="fine",
                        source=AssessmentSource(source_type="HUMAN", source_id="me"))
    mlflow.log_expectation(trace_id=trace_id, name="expected", value={"a": "x"})

    ds = create_dataset(name="evalset", experiment_id=[exp], tags={"t": "1"})
    ds.merge_records([{"inputs": {"q": "a"}, "expectations": {"a": "b"}},
                      {"inputs": {"q": "c"}, "expectations": {"a": "d"}}])
    Correctness().register(name="corr", experiment_id=exp)
    mlflow.genai.register_prompt(name="greeting", template="Hi {{name}}", commit_message="first")

    secret = store.create_gateway_secret("openai-key", {"api_key": "sk-test-123"}, provider="openai")
    model_def = store.create_gateway_model_definition("gpt", secret.secret_id, "openai", "gpt-4o-mini")
    endpoint = store.create_gateway_endpoint(
        "chat", [GatewayEndpointModelConfig(model_definition_id=model_def.model_definition_id,
                                            linkage_type=GatewayModelLinkageType.PRIMARY)],
        experiment_id=exp)
    store.create_endpoint_binding(endpoint.endpoint_id, "scorer", "x1")
    store.set_gateway_endpoint_tag(endpoint.endpoint_id, GatewayEndpointTag(key="team", value="a"))
    store.create_budget_policy(BudgetUnit.USD, 10.0, BudgetDuration(unit=BudgetDurationUnit.DAYS, value=1),
                               BudgetTargetScope.GLOBAL, BudgetAction.ALERT)
    store.create_issue(exp, "bad answers", "desc", root_causes=["x"], categories=["c"])
    schema = store.create_label_schema(exp, name="good", type="feedback", input=InputCategorical(options=["yes", "no"]))
    queue = store.create_review_queue(exp, name="q1", queue_type="custom", users=["bob"],
                                      schema_ids=[_id(schema, "schema_id", "label_schema_id")])
    store.add_items_to_review_queue(_id(queue, "queue_id", "review_queue_id"), item_ids=[trace_id])
    client.create_mcp_server("com.example/srv", description="d")
    client.create_mcp_server_version({"name": "com.example/srv", "version": "1.0.0", "description": "x"})
    store.create_mcp_access_endpoint("com.example/srv", "http://127.0.0.1:9/mcp", server_version="1.0.0")
    client.create_webhook(name="hook", url="https://1.1.1.1/h", events=["model_version.created"])


def _id(obj: Any, *names: str) -> Any:
    return next(getattr(obj, n) for n in names if hasattr(obj, n))


def read_genai(uri: str) -> dict[str, Any]:
    """What MLflow returns for those objects (secrets decrypted)."""
    import mlflow
    from mlflow import MlflowClient
    from mlflow.genai.datasets import search_datasets
    from mlflow.tracking._tracking_service.utils import _get_store

    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    store = _get_store()
    client = MlflowClient()
    exp = client.get_experiment_by_name(EXPERIMENT).experiment_id
    traces = mlflow.search_traces(locations=[exp], return_type="list")
    return {
        "secrets": [store._get_decrypted_secret(s.secret_id) for s in store.list_secret_infos()],
        "endpoints": sorted(e.name for e in store.list_gateway_endpoints()),
        "issues": sorted(i.name for i in store.search_issues(experiment_id=exp)),
        "traces": sorted((t.info.trace_id, t.info.request_time, len(t.data.spans),
                          sorted((a.name, str(a.value) if hasattr(a, "value") else None) for a in t.info.assessments))
                         for t in traces),
        "datasets": [(d.name, d.to_df()[["inputs", "expectations"]].to_json()) for d in search_datasets(experiment_ids=[exp])],
        "scorers": sorted(s.scorer_name for s in store.list_scorers(exp)),
        "mcp": sorted(s.name for s in client.search_mcp_servers()),
        "prompt": mlflow.genai.load_prompt("prompts:/greeting/1").template,
    }
