"""What the benches that talk HTTP share: Django set up in the bench's own process, gunicorn and
`manage.py worker` started as real processes on loopback, a signed-in client. Their databases come
from bench/benchdb.py.

Every server listens on 127.0.0.1 only, on a port the kernel hands out.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BARE_CONFIG = Path(__file__).resolve().with_name("gunicorn_bare.conf.py")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "committee.settings")
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on {port}")


def start_gunicorn(
    port: int, *, workers: int, production: bool = False, env: dict | None = None, log: Path | None = None
) -> subprocess.Popen:
    """gunicorn serving committee.wsgi on 127.0.0.1:`port` with `workers` sync workers, once it listens.

    With `production`, it starts as the README says (`-c gunicorn.conf.py`, PARAGRAF_BIND and
    WEB_CONCURRENCY, its access log to `log`); otherwise bare (bench/gunicorn_bare.conf.py: warnings
    only, no access log). Always DJANGO_DEBUG=0.
    """
    env = {**os.environ, "DJANGO_DEBUG": "0", **(env or {})}
    if production:
        env |= {"PARAGRAF_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
        command = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "committee.wsgi"]
    else:
        command = [str(BIN / "gunicorn"), "-c", str(BARE_CONFIG), "committee.wsgi", "-w", str(workers)]
        command += ["-b", f"127.0.0.1:{port}"]
    server = _start(command, env, log)
    try:
        wait_for(port)
    except BaseException:
        stop(server)
        raise
    return server


def start_worker(
    *, interval: float = 1.0, nice: int = 0, env: dict | None = None, log: Path | None = None
) -> subprocess.Popen:
    """`manage.py worker`, polling every `interval` seconds when the queue is empty; `nice` lowers its priority."""
    command = [sys.executable, "manage.py", "worker", "--interval", str(interval)]
    command = ["nice", "-n", str(nice), *command] if nice else command
    return _start(command, {**os.environ, "DJANGO_DEBUG": "0", **(env or {})}, log)


def _start(command: list[str], env: dict, log: Path | None) -> subprocess.Popen:
    """Start `command` in the repository, its output appended to `log` (or this terminal)."""
    if log is None:
        return subprocess.Popen(command, cwd=ROOT, env=env)
    with open(log, "ab") as output:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, and SIGKILL if it has not ended within ten seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


class Browser:
    """One person's browser: a cookie jar shared by every server, a keep-alive connection to each.

    Sessions live in the database, so a session begun on one server is good on every other: the
    benches sign in on one and carry on wherever they like, as behind a load balancer.
    """

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.connections: dict[int, http.client.HTTPConnection] = {}

    def request(self, port: int, method: str, path: str, data: dict | None = None) -> tuple[int, dict, bytes]:
        """(status, headers with lower-case names, body); redirects are not followed."""
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):  # a keep-alive connection the server closed is opened again once
            connection = self.connections.get(port) or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            self.connections[port] = connection
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                content = response.read()
                break
            except (ConnectionError, http.client.RemoteDisconnected, http.client.CannotSendRequest):
                connection.close()
                del self.connections[port]
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            del self.connections[port]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content

    def get(self, port: int, path: str) -> tuple[int, dict, bytes]:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, data: dict) -> tuple[int, dict, bytes]:
        """A form POST with the CSRF token from the cookie, as the page's form sends it."""
        return self.request(port, "POST", path, data)

    def sign_in(self, port: int, username: str, password: str) -> None:
        self.get(port, "/konto/login/")  # sets the CSRF cookie
        status, headers, _body = self.post(port, "/konto/login/", {"username": username, "password": password})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not sign in on port {port}: {status}")
