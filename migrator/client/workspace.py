"""`copy --workspace NAME`: every call of the target's MlflowClient made as workspace NAME.

MLflow's client sends the workspace of the calling context (`X-MLFLOW-WORKSPACE`, from a context variable,
else the MLFLOW_WORKSPACE environment variable) with every REST call in the process: set globally, it would
reach the source server too. `InWorkspace` sets it around each call of the target's client only, in the
calling thread (the copy's workers each get it for their own calls), and never touches the environment."""

from __future__ import annotations

import functools
from typing import Any

from ..errors import MigratorError


class InWorkspace:
    """A proxy of an MlflowClient (and of its parts, reached through it) whose every method runs with
    `workspace` active (this thread only)."""

    def __init__(self, client: Any, workspace: str) -> None:
        self._client, self._workspace = client, workspace

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if isinstance(attr, (str, bytes, int, float, bool, tuple, list, dict, type(None))):
            return attr
        if not callable(attr):  # the client's own parts (its tracking client, its store): theirs too
            return InWorkspace(attr, self._workspace)

        @functools.wraps(attr)
        def call(*args: Any, **kwargs: Any) -> Any:
            from mlflow.utils.workspace_context import _WORKSPACE

            token = _WORKSPACE.set(self._workspace)
            try:
                return attr(*args, **kwargs)
            finally:
                _WORKSPACE.reset(token)
        return call


def ensure_workspace(client: Any, name: str, label: str) -> bool:
    """NAME on the target server (created when missing); True when it was created. A server without
    workspaces is told apart."""
    from mlflow.exceptions import MlflowException

    try:
        client.get_workspace(name)
        return False
    except MlflowException as e:
        code = getattr(e, "error_code", "")
        if code in ("FEATURE_DISABLED", "ENDPOINT_NOT_FOUND") or "not expose workspace" in str(e):
            raise MigratorError(f"{label} does not serve workspaces: start it with `mlflow server "
                                "--enable-workspaces` (MLflow >= 3.10)") from None
        if code != "RESOURCE_DOES_NOT_EXIST":
            raise MigratorError(f"cannot read workspace {name!r} of {label}: {str(e).splitlines()[0]}") from None
    client.create_workspace(name)
    return True
