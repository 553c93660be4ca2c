"""gunicorn's settings for Paragraf: `gunicorn -c gunicorn.conf.py committee.wsgi`.

Everything comes from the environment (the README lists it). Static files are served by
WhiteNoise inside Django, so no web server is needed beside gunicorn, only a load balancer or
proxy in front that terminates TLS and buffers slow clients (the workers are synchronous).
"""

import os
import sys


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


def _bind() -> str:
    if os.environ.get("PARAGRAF_BIND"):
        return os.environ["PARAGRAF_BIND"]
    if os.environ.get("PORT"):
        return f"0.0.0.0:{os.environ['PORT']}"
    return "127.0.0.1:8000"


bind = _bind()
# gunicorn's rule of thumb, 2 × cores + 1, capped: every worker keeps a PostgreSQL connection
# open, and every machine's workers count against the server's max_connections (100 by default).
workers = _int("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, 12))
# A request never renders a PDF (workers do), so a minute is generous; it stays above the
# connection pool's 30 s wait, so a database that is down gives a clean error page, not a killed worker.
timeout = _int("PARAGRAF_WEB_TIMEOUT", 60)
graceful_timeout = _int("PARAGRAF_WEB_GRACEFUL_TIMEOUT", 30)

accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn's control socket lives in the user's home by default; Paragraf does not use it, and
# two servers run by the same user would fight over it.
control_socket_disable = True

# Each worker imports Django after the fork. psycopg's connection pool holds sockets and
# background threads: a pool opened in the master and copied by fork would share its sockets
# between workers and have no threads to refill it. Without preloading there is no such pool.
preload_app = False


def pre_fork(server, worker) -> None:
    """If preloading is turned on anyway (`--preload`), close the master's pools before forking."""
    if "django.db" not in sys.modules:
        return
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
        if getattr(connection, "pool", None) is not None:
            connection.close_pool()
