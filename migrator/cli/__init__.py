"""The command line: `app` (Typer) with the commands of `tracking` and `backups`, the one error boundary
(`boundary.command`), rendering (`render`) and tqdm progress bars on stderr (`progress`)."""

# isort: off
from . import tracking  # noqa: F401  (registers the commands, in --help order)
from . import upgrade  # noqa: F401
from . import backups  # noqa: F401
from . import artifacts  # noqa: F401
from . import embedded  # noqa: F401
# isort: on
from .app import app
from .boundary import run

__all__ = ["app", "run"]
