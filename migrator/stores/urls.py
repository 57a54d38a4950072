"""Store addresses as text: SQLAlchemy URL parsing and password redaction (no store is opened here)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SQLAlchemy loads where a PostgreSQL store is reached (the artifact and SQLite paths start faster)
    import sqlalchemy as sa


def make_url(url: str) -> "sa.engine.URL":
    from sqlalchemy.engine import make_url as _make_url

    return _make_url(url)


PG_SCHEMES = ("postgresql+psycopg2://", "postgresql://", "postgres://", "postgresql+psycopg://")
# userinfo of any URL: the password runs to the LAST '@' before the host (libpq and users leave '@', '/' and
# ':' unescaped in passwords); the host part that follows holds no '@' and ends the URL or meets / ? # or a quote
_URL_PW = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*:/{1,3})(?P<user>[^:/@\s'\"]*):(?P<pw>[^\s'\"]*)"
                     r"@(?P<host>[^@\s/?#'\"]*)(?=[/?#\s'\"]|$)")
# password=... as a URL query parameter (?password=, &password=), a libpq keyword string (password=x,
# password='x y') or an environment assignment (PGPASSWORD=x)
_KEYWORD_PW = re.compile(r"(?P<key>\b(?:pg)?password\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*'|\"[^\"]*\"|[^&\s'\"]+)",
                         re.IGNORECASE)


def redact(text: str) -> str:
    """Replace every password in `text` with ***: in URL userinfo, in password= query parameters and
    libpq keyword strings, and in PGPASSWORD=... assignments."""
    out = _URL_PW.sub(lambda m: f"{m['scheme']}{m['user']}:***@{m['host']}", str(text))
    return _KEYWORD_PW.sub(lambda m: f"{m['key']}***", out)


def escape_password_at(rest: str) -> str:
    """'user:p@ss@host/db' -> 'user:p%40ss@host/db': the password runs to the last '@' before the host
    (SQLAlchemy would split at the first one and take the password's tail for the host)."""
    m = re.match(r"(?P<user>[^:/@]*):(?P<pw>.*)@(?P<hosttail>[^@]*)$", rest, re.DOTALL)
    if not m or "@" not in m["pw"]:
        return rest
    return f"{m['user']}:{m['pw'].replace('@', '%40')}@{m['hosttail']}"
