"""Verification: prove two stores hold the same data.

`run` (verify, verify_content: start reading here) -> the stores' verification sides (a SQLite snapshot, a PostgreSQL
transaction; `migrator.stores`), read in key order; `plan` (the named checks every caller runs) -> `compare` (every row, normalised, floats bit for bit) and `parity` (MlflowClient on both sides;
MLflow's basic-auth store for auth stores); `report` holds the result types. (Named `verification` so that
`from migrator import verify` stays the function.)
"""

from .parity import api_parity, auth_parity
from .report import Check, TableCheck, VerifyReport
from .run import verify, verify_content

__all__ = ["Check", "TableCheck", "VerifyReport", "api_parity", "auth_parity", "verify", "verify_content"]
