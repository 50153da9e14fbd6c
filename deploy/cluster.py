"""The production deployment, run on this machine: nginx (Debian's package, as a child process
with a config and prefix folder of its own, on a port of 127.0.0.1) in front of N app processes,
the background queue's consumer, the local PostgreSQL and Redis.

Nothing here is a second description of the deployment: the nginx site is deploy/nginx/gielda.conf
itself, rendered for a local port without TLS (`render_site`), and every process is started with
the command line and environment of its systemd unit in deploy/systemd/ (`read_unit`), with the
checkout and the virtualenv of this machine in place of /srv/gielda/app. So the test that plays a
fair through it (tests/deploy/test_cluster.py) tests the files an installation uses, and the load
run (`make load`) can be pointed at the same thing.

    python -m deploy.cluster --processes 3 --port 8080 --demo     # until Ctrl-C
    make cluster                                                  # the same

From Python: `with Cluster(database_url, redis_url, workdir) as cluster: cluster.url ...`
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import requests

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "gielda.conf"
UNITS = ROOT / "deploy" / "systemd"
INSTALLED_AT = "/srv/gielda/app"  # where the units and the site expect the checkout
INSTANCE_AT = "/srv/gielda/instance"  # and the instance folder (INSTANCE_PATH)
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
# A response header naming the process that answered (its address), added by the local rendering
# only: tests and load runs see where nginx sent a client; an installation does not announce it.
UPSTREAM_HEADER = "X-Gielda-Upstream"
READY_TIMEOUT = 60.0


class ClusterError(RuntimeError):
    """The cluster could not be started (a missing program, a process that died, a site file
    that no longer has the shape the rendering expects)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def find_nginx() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None)
    if not found:
        raise ClusterError("nginx is not installed: `apt-get install nginx` (scripts/system-deps.sh does it "
                           "as root, and so does `make test`)")
    return found


# --- the systemd units ---------------------------------------------------------------------------

@dataclass
class Unit:
    """What a unit of deploy/systemd/ runs: its command line and the environment it sets (the
    EnvironmentFile's part is the caller's), for this checkout."""

    name: str
    argv: list[str]
    environment: dict[str, str]
    kill_signal: int = signal.SIGTERM


def _localise(value: str) -> str:
    venv_bin = f"{INSTALLED_AT}/.venv/bin/"
    if value.startswith(venv_bin):  # this machine's virtualenv (the one running this module)
        return str(Path(sys.executable).parent / value[len(venv_bin):])
    return value.replace(INSTALLED_AT, str(ROOT))


def read_unit(name: str, instance: str = "") -> Unit:
    """The ExecStart, Environment and KillSignal of deploy/systemd/<name>, `%i` being `instance`."""
    path = UNITS / name
    argv: list[str] = []
    environment: dict[str, str] = {}
    kill = signal.SIGTERM
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip().replace("%i", instance)
        if line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        if key == "ExecStart":
            argv = [_localise(word) for word in shlex.split(value)]
        elif key == "Environment":
            for word in shlex.split(value):
                k, v = word.split("=", 1)
                environment[k] = v
        elif key == "KillSignal":
            kill = signal.Signals[value.strip()]
    if not argv:
        raise ClusterError(f"{path} has no ExecStart")
    return Unit(name, argv, environment, kill)


# --- the nginx site --------------------------------------------------------------------------------

def _replace(text: str, pattern: str, repl: str, count: int, what: str, flags: int = re.MULTILINE) -> str:
    new, n = re.subn(pattern, repl, text, flags=flags)
    if n != count:
        raise ClusterError(f"{SITE.relative_to(ROOT)}: expected {count} {what}, found {n}; "
                           "update deploy/cluster.py's rendering along with the site")
    return new


def render_site(port: int, app_ports: list[int], log_dir: Path, site: str | None = None) -> str:
    """deploy/nginx/gielda.conf for plain http on 127.0.0.1:`port` in front of `app_ports`:
    without the port-80 redirect and TLS, with this checkout's static files, logs in `log_dir`,
    and the `X-Gielda-Upstream` header. Everything else (stickiness, upgrades, gzip, caching,
    the log format) is the file's own."""
    text = SITE.read_text(encoding="utf-8") if site is None else site
    text = _replace(text, r"^# BEGIN http-to-https$.*?^# END http-to-https$\n", "", 1, "http-to-https blocks",
                    re.MULTILINE | re.DOTALL)
    text = _replace(text, r"^(\s*)listen 443 ssl http2( [^;]*)?;$", rf"\g<1>listen 127.0.0.1:{port}\g<2>;", 1,
                    "IPv4 TLS listens")
    text = _replace(text, r"^\s*listen \[::\]:443 ssl http2( [^;]*)?;\n", "", 1, "IPv6 TLS listens")
    text = re.sub(r"^\s*ssl_[a-z_]+ .*;\n", "", text, flags=re.MULTILINE)
    servers = "".join(f"    server 127.0.0.1:{p};\n" for p in app_ports)
    text = _replace(text, r"(^\s*server 127\.0\.0\.1:\d+;\n)+", servers, 1, "runs of upstream servers")
    text = _replace(text, r"^(\s*)(add_header Set-Cookie .*)$",
                    rf"\g<1>\g<2>\n\g<1>add_header {UPSTREAM_HEADER} $upstream_addr always;", 1,
                    "server-wide add_header lines")
    text = text.replace("/var/log/nginx/", f"{log_dir}/")
    return text.replace(INSTALLED_AT, str(ROOT))


def render_main_conf(prefix: Path, site: Path, workers: int = 1) -> str:
    """The main nginx.conf of a local run: Debian's MIME types, temp files, pid and logs in
    `prefix`, room for thousands of connections (each phone's WebSocket is two: browser and
    process), and the site."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    files = 20000 if hard == resource.RLIM_INFINITY else min(20000, hard)
    user = "user root root;  # workers read the checkout and write the temp folders of a root run\n" \
        if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {prefix}/temp/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""# Written by deploy/cluster.py for a local run; the site is {site.name}.
daemon off;
{user}worker_processes {workers};
worker_rlimit_nofile {files};
worker_shutdown_timeout 5s;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;

events {{
    worker_connections {max(1024, files // 2 - 64)};
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    server_tokens off;
{temp}
    access_log off;
    include {site};
}}
"""


# --- processes -------------------------------------------------------------------------------------

@dataclass
class Process:
    """A child process with its output in a log file."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    stop_signal: int = signal.SIGTERM
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""

    def stop(self, timeout: float = 15.0) -> int | None:
        """Send its stop signal (as systemd's KillSignal), wait, then SIGKILL. Its return code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            with suppress(ProcessLookupError):
                self.proc.send_signal(self.stop_signal)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode


def _raise_file_limit() -> None:
    """What LimitNOFILE=65536 does for the units: children inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else min(65536, hard)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def _wait_http(url: str, procs: list[Process], timeout: float = READY_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while True:
        for p in procs:
            if not p.running:
                code = p.proc.returncode if p.proc is not None else None
                raise ClusterError(f"{p.name} exited with {code} while starting ({p.log}):\n{p.tail()}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise ClusterError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.1)  # polling a port that is opening


# --- the cluster -----------------------------------------------------------------------------------

class Cluster:
    """nginx on 127.0.0.1:`port` in front of `processes` app processes and one consumer, on
    `database_url` (migrated by the migration unit's command when started) and `redis_url`.

    Each cluster has its own Socket.IO channel and huey queue name, so clusters and test runs
    sharing one Redis never see each other's events or tasks. `env` adds to (or overrides) the
    environment file's part: e.g. rate limits for a load run from one address."""

    def __init__(self, database_url: str, redis_url: str, workdir: Path, *, processes: int = 3,
                 port: int | None = None, app_ports: list[int] | None = None, env: dict[str, str] | None = None,
                 nginx_workers: int = 1) -> None:
        self.workdir = workdir
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app_ports = app_ports or [free_port() for _ in range(processes)]
        self.nginx_workers = nginx_workers
        name = f"gielda-cluster-{uuid.uuid4().hex[:12]}"
        # The environment file's part (deploy/gielda.env.example), for this machine.
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": uuid.uuid4().hex + uuid.uuid4().hex,
            "PUBLIC_URL": self.url,
            "TRUSTED_PROXIES": "1",
            "INSTANCE_PATH": str(workdir / "instance"),
            "SOCKETIO_MESSAGE_QUEUE": redis_url,
            "SOCKETIO_CHANNEL": name,
            "RATELIMIT_STORAGE_URI": redis_url,
            "HUEY_URL": redis_url,
            "HUEY_NAME": name,
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.apps: list[Process] = []
        self.consumer: Process | None = None
        self.nginx: Process | None = None
        self.prefix = workdir / "nginx"

    @property
    def app_addresses(self) -> list[str]:
        """The upstream address of each app process, as nginx names it ($upstream_addr)."""
        return [f"127.0.0.1:{p}" for p in self.app_ports]

    @property
    def access_log(self) -> Path:
        return self.prefix / "logs" / "gielda.access.log"

    @property
    def error_log(self) -> Path:
        return self.prefix / "logs" / "gielda.error.log"

    def _process(self, unit: Unit, name: str, log_name: str) -> Process:
        instance = str(self.workdir / "instance")
        env = {**self.env, **{k: v.replace(INSTANCE_AT, instance) for k, v in unit.environment.items()}}
        return Process(name, unit.argv, env, self.workdir / "logs" / log_name, unit.kill_signal)

    def migrate(self) -> None:
        unit = read_unit("gielda-migrate.service")
        migrate = self._process(unit, "migrations", "migrate.log")
        migrate.start()
        assert migrate.proc is not None
        if migrate.proc.wait(120) != 0:
            raise ClusterError(f"migrations failed ({migrate.log}):\n{migrate.tail()}")

    def start(self) -> Cluster:
        (self.workdir / "logs").mkdir(parents=True, exist_ok=True)
        (self.workdir / "instance").mkdir(parents=True, exist_ok=True)
        _raise_file_limit()
        try:
            self.migrate()
            for port in self.app_ports:
                app = self._process(read_unit("gielda@.service", str(port)), f"gielda@{port}", f"app-{port}.log")
                app.start()
                self.apps.append(app)
            self.consumer = self._process(read_unit("gielda-tasks.service"), "gielda-tasks", "tasks.log")
            self.consumer.start()
            for app, port in zip(self.apps, self.app_ports, strict=True):
                _wait_http(f"http://127.0.0.1:{port}/healthz", [app, self.consumer])
            self._start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_nginx(self) -> None:
        for folder in ("logs", "temp"):
            (self.prefix / folder).mkdir(parents=True, exist_ok=True)
        site = self.prefix / "gielda.conf"
        site.write_text(render_site(self.port, self.app_ports, self.prefix / "logs"), encoding="utf-8")
        conf = self.prefix / "nginx.conf"
        conf.write_text(render_main_conf(self.prefix, site, self.nginx_workers), encoding="utf-8")
        argv = [find_nginx(), "-p", f"{self.prefix}/", "-e", str(self.prefix / "logs" / "error.log"), "-c", str(conf)]
        check = subprocess.run([*argv, "-t", "-q"], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise ClusterError(f"nginx -t refused {conf}:\n{check.stderr}")
        # SIGQUIT: nginx's graceful shutdown (open WebSockets get worker_shutdown_timeout).
        self.nginx = Process("nginx", argv, dict(os.environ), self.workdir / "logs" / "nginx.out",
                             signal.SIGQUIT)
        self.nginx.start()
        _wait_http(f"{self.url}/healthz", [self.nginx])

    def processes(self) -> list[Process]:
        return [p for p in (self.nginx, *self.apps, self.consumer) if p is not None]

    def stop(self) -> dict[str, int | None]:
        """Stop nginx first (no new requests), then the app processes and the consumer, each with
        its unit's signal. Their return codes, by name."""
        codes: dict[str, int | None] = {}
        if self.nginx is not None:
            codes["nginx"] = self.nginx.stop()
        for p in [*self.apps, *([self.consumer] if self.consumer else [])]:
            if p.proc is not None and p.proc.poll() is None:
                with suppress(ProcessLookupError):
                    p.proc.send_signal(p.stop_signal)
        for p in [*self.apps, *([self.consumer] if self.consumer else [])]:
            codes[p.name] = p.stop()
        return codes

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


# --- a database of its own -------------------------------------------------------------------------

@contextmanager
def fresh_database(server_url: str = DEFAULT_PG, prefix: str = "gielda_cluster") -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of `server_url`, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


# --- command line ----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=3, help="app processes (default 3)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (default 8080)")
    parser.add_argument("--database", help="DATABASE_URL to use as it is (default: a fresh database on the "
                        "PostgreSQL of --pg, dropped at the end)")
    parser.add_argument("--pg", default=DEFAULT_PG, help=f"PostgreSQL server for the fresh database ({DEFAULT_PG})")
    parser.add_argument("--redis", default=DEFAULT_REDIS, help=f"Redis ({DEFAULT_REDIS})")
    parser.add_argument("--workdir", type=Path, help="logs, instance folder, nginx prefix (default: a new "
                        "folder under /tmp, kept)")
    parser.add_argument("--nginx-workers", type=int, default=1)
    parser.add_argument("--demo", action="store_true", help="create the demo fair (`flask fair demo`) first")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment for every process (e.g. SOCKET_CLIENT_RATELIMIT=100000/minute)")
    args = parser.parse_args(argv)
    extra = dict(item.split("=", 1) for item in args.env)
    workdir = args.workdir or Path(f"/tmp/gielda-cluster-{time.strftime('%Y%m%d-%H%M%S')}")
    workdir.mkdir(parents=True, exist_ok=True)
    stop = {"now": False}

    def on_signal(signum: int, _frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    with nullcontext(args.database) if args.database else fresh_database(args.pg) as url:
        cluster = Cluster(url, args.redis, workdir, processes=args.processes, port=args.port, env=extra,
                          nginx_workers=args.nginx_workers)
        with cluster:
            if args.demo:
                demo = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "fair", "demo", "--if-empty"],
                                      cwd=ROOT, env={**cluster.env, "AUTO_MIGRATE": "0"}, check=False)
                if demo.returncode != 0:
                    raise ClusterError("`flask fair demo` failed")
            print(f"Giełda cluster on {cluster.url}/  (nginx → {', '.join(cluster.app_addresses)}; "
                  f"consumer; database {url.rsplit('/', 1)[-1]})", flush=True)
            print(f"Logs in {workdir}/logs and {cluster.prefix}/logs. Ctrl-C stops everything.", flush=True)
            while not stop["now"] and all(p.running for p in cluster.processes()):
                time.sleep(0.5)  # the foreground process of a local run; nothing to synchronise with
            dead = [p.name for p in cluster.processes() if not p.running]
        if dead:
            print(f"stopped: {', '.join(dead)} exited (see {workdir}/logs)", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
