"""The MlflowClient path: any tracking URI copied object by object into any other (new ids, resumable).

`copier` (the order of work, start reading here) -> `runs`, `logged_models`, `registry` (one section each,
sharing a `context.CopyContext`) -> `workers` (threads or worker processes); `endpoints` opens both ends,
`idmap` keeps old -> new ids.
"""

from .context import ClientCopyResult, Failure
from .copier import ClientCopier, copy_store

__all__ = ["ClientCopier", "ClientCopyResult", "Failure", "copy_store"]
