"""Verification: prove two stores hold the same data.

`run` (verify, verify_content: start reading here) -> the stores' verification sides (a SQLite snapshot, a PostgreSQL
transaction; `migrator.stores`), read in key order; `plan` (the named checks every caller runs) -> `compare` (every row, normalised, floats bit for bit) and `parity` (MlflowClient on both sides;
MLflow's basic-auth store for auth stores); `report` holds the result types. (Named `verification` so that
`from migrator import verify` stays the function.)
"""

from ..checks import Check
from .parity import api_parity, api_parity_in_workspace, auth_parity, auth_users
from .report import TableCheck, VerifyReport
from .run import VerifyRequest, run_verify, verify, verify_content
from .workspace import verify_workspace, verify_workspace_kind

__all__ = ["verify_workspace", "verify_workspace_kind", "VerifyRequest", "run_verify", "Check", "TableCheck", "VerifyReport", "api_parity", "api_parity_in_workspace", "auth_parity", "auth_users", "verify", "verify_content"]
