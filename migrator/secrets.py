"""Gateway secrets (MLflow 3.8+): AES-GCM values whose data keys are wrapped by a key derived from
MLFLOW_CRYPTO_KEK_PASSPHRASE and bound to the secret's id and name. migrator copies their bytes exactly; these
read them back with MLflow's own crypto code, never printing a value."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .checks import Check
from .stores import Database

SAMPLE = 20  # secrets tried with the development passphrase (one that decrypts is enough to warn)


def _rows(db: Database) -> list[tuple]:
    if "secrets" not in db.table_names():
        return []
    return db.query("SELECT secret_id, secret_name, encrypted_value, wrapped_dek, kek_version FROM secrets "
                    "ORDER BY secret_id")


@lru_cache(maxsize=8)
def _kek(passphrase: str, version: int) -> Any:
    from mlflow.utils.crypto import KEKManager

    return KEKManager(passphrase=passphrase, kek_version=version)


def _decrypts(row: tuple, passphrase: str) -> bool:
    from mlflow.utils.crypto import _decrypt_secret

    sid, name, value, dek, version = row
    try:
        _decrypt_secret(bytes(value), bytes(dek), _kek(passphrase, int(version or 1)), sid, name)
    except Exception:  # MLflow raises on a wrong key, a changed id or name, tampered bytes
        return False
    return True


def secret_count(db: Database) -> int:
    return int(db.query("SELECT count(*) FROM secrets")[0][0]) if "secrets" in db.table_names() else 0


def decrypt_check(db: Database, passphrase: str, env_name: str) -> Check:
    """Every secret decrypts with the passphrase (names the ones that do not, never a value)."""
    rows = _rows(db)
    bad = [f"{r[1]} ({r[0]})" for r in rows if not _decrypts(r, passphrase)]
    return Check("gateway secrets decrypt", not bad,
                 f"all {len(rows)} secret(s) decrypt with the passphrase in ${env_name}" if not bad else
                 f"{len(bad)} of {len(rows)} secret(s) do not decrypt with the passphrase in ${env_name}: {bad[:10]}")


def development_passphrase_note(db: Database) -> str | None:
    """A warning when the store's secrets are encrypted with MLflow's built-in development passphrase."""
    rows = _rows(db)
    if not rows:
        return None
    from mlflow.utils.crypto import DEFAULT_KEK_PASSPHRASE

    weak = sum(_decrypts(r, DEFAULT_KEK_PASSPHRASE) for r in rows[:SAMPLE])
    if not weak:
        return None
    return (f"{weak} gateway secret(s) are encrypted with MLflow's built-in development passphrase (the server "
            "never set MLFLOW_CRYPTO_KEK_PASSPHRASE): anyone with a copy of the database can decrypt them; rotate "
            "them to a passphrase of your own (MLflow's `rotate_secret_encryption`) and set it on the new server")
