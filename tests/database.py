"""The test database as a DATABASE_URL, for the processes that tests start (workers, gunicorn, manage.py)."""

from urllib.parse import quote

from django.db import connection


def database_url(name: str | None = None) -> str:
    """The URL of the database the test runs on (or of another database `name` on the same server).

    A host that is a folder is the private cluster's Unix socket: libpq's `?host=` form.
    """
    db = connection.settings_dict
    credentials = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    database = quote(name or db["NAME"])
    host = db["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        return f"postgres://{credentials}@/{database}?host={quote(host, safe='/')}"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{database}"
