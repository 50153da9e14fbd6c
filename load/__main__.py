"""`python -m load` (`make load`): the gong burst on `make run`'s server against the floor, each
server kind the comparison names, then a trading period; writes the `load` section of
docs/benchmarks.md.

`python -m load --target URL --spec SPEC [--phones N] [--scenario gong|trading] [--seconds S]`
drives a server you started instead (prepare its fair with `python -m load.prepare` against its
database first) and prints the figures; with `--database-url` it checks the ledger and the
event streams afterwards.

Environment: LOAD_KEEP (a folder for the servers' logs and the JSON results; `python -m load
--rewrite DIR` writes the section again from them), LOAD_PHONES (200,500), LOAD_SERVERS
(gevent,threading,gunicorn), LOAD_REPEATS (3: each burst this many times, the verdicts on the
medians), LOAD_TRADING_PHONES (200), LOAD_TRADING_SECONDS (60)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from bench._report import ROOT, machine, merge_section

PY = sys.executable
TICK = os.sysconf("SC_CLK_TCK")
# Every phone of the run comes from 127.0.0.1: the per-address socket limit is a hall's, not one phone's.
ONE_ADDRESS = {"SOCKET_CLIENT_RATELIMIT": "1000000/minute", "SOCKET_RATELIMIT": "1000/10seconds"}


def _env_list(name: str, default: str) -> list[str]:
    return [x.strip() for x in os.environ.get(name, default).split(",") if x.strip()]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of `pid` and every process below it."""
    total = 0.0
    pids = [pid]
    while pids:
        p = pids.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICK
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        pids.extend(int(c) for c in children)
    return total


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    url: str
    log: Path

    def cpu(self) -> float:
        return _cpu_seconds(self.proc.pid)


def settle(server: Server, timeout: float = 60) -> None:
    """Wait until the server's processes are idle (its background queue's child has started),
    so that no start-up CPU is counted as the phones'."""
    deadline = time.monotonic() + timeout
    last = server.cpu()
    while time.monotonic() < deadline:
        time.sleep(0.5)  # sampling CPU time; not a wait for app state
        now = server.cpu()
        if now - last < 0.02:
            return
        last = now


@contextmanager
def serve(command: list[str], env: dict[str, str], log: Path, timeout: float = 120) -> Iterator[Server]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    full_env = {**os.environ, **env, "HOST": "127.0.0.1", "PORT": str(port), "PUBLIC_URL": url,
                "GUNICORN_CMD_ARGS": f"--bind=127.0.0.1:{port} --backlog=2048"}
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{command} exited: {log.read_text()[-2000:]}")
            try:
                if requests.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{command} did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)  # polling for the port to open
        server = Server(proc, url, log)
        settle(server)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def drive(spec: Path, target: str, phones: int, out: Path, scenario: str = "gong",
          seconds: float = 60.0, posters: int | None = None) -> dict[str, Any]:
    extra = ["--posters", str(posters)] if posters is not None else []
    subprocess.run([PY, "-m", "load.run", "--spec", str(spec), "--target", target, "--phones", str(phones),
                    "--scenario", scenario, "--seconds", str(seconds), "--out", str(out), *extra], cwd=ROOT,
                   check=True)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def checks(database_url: str, slug: str = "load") -> dict[str, Any]:
    out = subprocess.run([PY, "-m", "load.checks", "--slug", slug], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "DATABASE_URL": database_url})
    if out.returncode != 0:
        raise RuntimeError(f"load.checks failed: {out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def prepare(workdir: Path, phones: int) -> tuple[Path, Path]:
    """A database with the fair for `phones` phones, and its spec."""
    instance = workdir / f"prepared-{phones}"
    instance.mkdir()
    spec = workdir / f"spec-{phones}.json"
    subprocess.run([PY, "-m", "load.prepare", "--phones", str(phones), "--out", str(spec)], cwd=ROOT, check=True,
                   env={**os.environ, "DATABASE_URL": f"sqlite:///{instance / 'gielda.db'}",
                        "INSTANCE_PATH": str(instance)})
    return instance / "gielda.db", spec


def _copy_database(db_file: Path, instance: Path) -> str:
    """A fresh copy of the prepared SQLite database (with its WAL, if one is left) for one run."""
    for suffix in ("", "-wal", "-shm"):
        source = db_file.with_name(db_file.name + suffix)
        if source.exists():
            shutil.copy(source, instance / (db_file.name + suffix))
    return f"sqlite:///{instance / db_file.name}"


def _errors(r: dict[str, Any]) -> int:
    """Failed requests and socket connections, sockets the server dropped, exceptions, problems,
    phones that never finished."""
    failed = sum(v["failures"] for v in r["requests"].values())
    return (failed + sum(e["count"] for e in r.get("exceptions", [])) + len(r["problems"])
            + sum(r.get("sockets_dropped", {}).values()) + (r["phones"] - r["flows_done"]))


GUNICORN = [PY, "-m", "gunicorn", "-k", "gevent", "-w", "1"]


def commands(server: str, spec: Path) -> tuple[list[str], list[str]]:
    """(Giełda, floor) started as `server` says: `python -m app`'s own server (gevent, threading),
    or gunicorn's gevent worker (one process: Socket.IO keeps a phone's session in its process)."""
    if server == "gunicorn":
        return [*GUNICORN, "app:create_app()"], [*GUNICORN, "load.floor:app_from_env()"]
    return [PY, "-m", "app"], [PY, "-m", "load.floor", str(spec)]


def gong(workdir: Path, phones: int, server: str, db_file: Path, spec: Path, run: int = 1) -> dict[str, Any]:
    """The same burst against the floor and against Giełda, both under `server` (`run`: which of
    the repeated bursts this is, in the names of its files)."""
    results: dict[str, Any] = {}
    app_cmd, floor_cmd = commands(server, spec)
    tag = f"{server}-{phones}-{run}"
    with serve(floor_cmd, {"SERVER": server, "LOAD_SPEC": str(spec)}, workdir / f"floor-{tag}.log") as floor:
        before = floor.cpu()
        results["floor"] = drive(spec, floor.url, phones, workdir / f"floor-{tag}.json")
        results["floor"]["cpu_s"] = floor.cpu() - before
    instance = workdir / f"run-{tag}"
    instance.mkdir()
    database_url = _copy_database(db_file, instance)
    env = {"SERVER": server, "DATABASE_URL": database_url, "INSTANCE_PATH": str(instance), "TASK_WORKERS": "1",
           "SECRET_KEY": "load", **ONE_ADDRESS}
    with serve(app_cmd, env, workdir / f"app-{tag}.log") as app:
        before = app.cpu()
        results["gielda"] = drive(spec, app.url, phones, workdir / f"app-{tag}.json")
        results["gielda"]["cpu_s"] = app.cpu() - before
    results["gielda"]["checks"] = checks(database_url)
    for who, name in (("floor", "floor"), ("gielda", "app")):  # kept whole, for `rewrite`
        (workdir / f"{name}-{tag}.json").write_text(json.dumps(results[who]), encoding="utf-8")
    return results


def trading(workdir: Path, phones: int, seconds: float, db_file: Path, spec: Path) -> dict[str, Any]:
    instance = workdir / "trading"
    instance.mkdir()
    database_url = _copy_database(db_file, instance)
    env = {"DATABASE_URL": database_url, "INSTANCE_PATH": str(instance), "TASK_WORKERS": "1",
           "SECRET_KEY": "load", **ONE_ADDRESS}
    with serve([PY, "-m", "app"], env, workdir / "app-trading.log") as app:
        before = app.cpu()
        result = drive(spec, app.url, phones, workdir / "trading.json", "trading", seconds)
        result["cpu_s"] = app.cpu() - before
    result["checks"] = checks(database_url)
    (workdir / "trading.json").write_text(json.dumps(result), encoding="utf-8")
    return result


# --- the report -----------------------------------------------------------------------------------

def _ms(v: float) -> str:
    return f"{v:,.0f}"


def _row(server: str, phones: int, run: int, who: str, r: dict[str, Any], floor: dict[str, Any] | None) -> str:
    http = r["http"]
    cpu = r["cpu_s"] / phones * 1000
    ratio = f"{http['p95'] / max(floor['http']['p95'], 1):.2f}" if floor else "—"
    cpu_ratio = f"{cpu / max(floor['cpu_s'] / phones * 1000, 0.001):.2f}" if floor else "—"
    ev = r["events"]
    return (f"| {server} | {phones} | {run} | {who} | {r['flows_done']}/{phones} | {r['gong_seconds']:.1f} | "
            f"{_ms(http['p50'])} | {_ms(http['p95'])} | {_ms(http['p99'])} | {_errors(r)} | {cpu:.0f} | "
            f"{_ms(r['delivery_ms'].get('p95', 0))} | {ev['lost']} | {ev['phones_without_marker']} | "
            f"{ratio} | {cpu_ratio} |")


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def section(runs: dict[tuple[str, int], list[dict[str, Any]]], trade: dict[str, Any] | None, trade_phones: int,
            trade_seconds: float) -> str:
    lines = [
        "## Load: the gong burst and a trading period (`load`, `make load`)", "",
        machine("gevent", "locust", "Flask-SocketIO", "python-socketio", "simple-websocket", "Werkzeug"), "",
        "Written by `make load` (`python -m load`). The phones are **locust** users (FastHttpUser) in one "
        "process beside the server, each with a real Socket.IO client (python-socketio, websocket transport). "
        "**Gong**: all phones start at once and each logs in by its private link, loads the board, opens its "
        "socket, opens the post form and posts an offer (the real form: CSRF token, one-time key), then stays "
        "connected; a marker offer is posted last and every phone must receive it, its public sequence "
        "numbers running without a gap from the first it saw to the marker's. **Giełda** = `python -m app` "
        "(what `make run` starts) on SQLite with the background queue's child process; **floor** = "
        "`python -m load.floor`, a bare Flask-SocketIO app under the same server, serving the same HTML "
        "(captured from Giełda), setting a session cookie on the login link and emitting the same event "
        "message on a post. CPU per phone = the server's process tree's user+system CPU during the run ÷ "
        "phones. Errors = failed requests + failed socket connections + sockets the server dropped + "
        "phones that did not finish + exceptions. Latencies in ms. *Lost events* counts the gaps in the "
        "sequence numbers of the phones "
        "that received the marker; *phones without the marker* did not. The all-to-all fan-out of a burst "
        "is N² messages (250,000 at 500 phones), which the one load process on the same 2 cores reads "
        "late: the run waits for the marker as long as events keep arriving at the phones, and gives up "
        "only when none has arrived for 30 s (or after 15 minutes); *event delivery p95* says how late "
        "they came.", "",
        "Servers: **gevent** = `python -m app` as `make run` starts it (gevent's WSGI server, monkey-patched, "
        "a 2048-deep listen queue, TCP_NODELAY); **threading** = `SERVER=threading python -m app` (Werkzeug's "
        "threaded server, what `make run` used before); **gunicorn** = `gunicorn -k gevent -w 1` (one worker: "
        "Socket.IO keeps a phone's session in its process). The floor runs under the same server in each row.", "",
        "Each burst runs `LOAD_REPEATS` times (3), the floor and Giełda one after the other each time (*run*); "
        "the verdicts take the median of the runs for each side: a 200-phone burst is one or two seconds of "
        "the floor's CPU, and one run alone moves with whatever else the machine does.", "",
        "| server | phones | run | app | finished | burst (s) | HTTP p50 | HTTP p95 | HTTP p99 | errors "
        "| CPU/phone (ms) | event delivery p95 | lost events | phones without the marker | p95 ÷ floor | CPU ÷ floor |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    verdicts = []
    for (server, phones), pairs in runs.items():
        for run, pair in enumerate(pairs, 1):
            lines.append(_row(server, phones, run, "floor", pair["floor"], None))
            lines.append(_row(server, phones, run, "Giełda", pair["gielda"], pair["floor"]))
        gs, fs = [p["gielda"] for p in pairs], [p["floor"] for p in pairs]
        if server == "gevent":
            p95, fp95 = _median([g["http"]["p95"] for g in gs]), _median([f["http"]["p95"] for f in fs])
            cpu_ratio = _median([g["cpu_s"] for g in gs]) / max(_median([f["cpu_s"] for f in fs]), 1e-6)
            errors = max(_errors(g) for g in gs)
            each = f"{len(pairs)} run{'s' if len(pairs) > 1 else ''}, medians"
            if phones <= 200:
                ok = p95 <= 1000 and p95 <= 2 * fp95 and cpu_ratio <= 2.5
                verdicts.append(f"- {phones} phones on `make run`'s server ({each}): p95 {_ms(p95)} ms (target ≤ 1,000 "
                                f"and ≤ 2× the floor's {_ms(fp95)}), CPU {cpu_ratio:.2f}× the floor (target ≤ 2.5) — "
                                f"**{'met' if ok else 'not met'}**.")
            else:
                ok = errors == 0 and p95 <= 3000 and cpu_ratio <= 2.5
                verdicts.append(f"- {phones} phones on `make run`'s server ({each}): {errors} errors in the worst run, "
                                f"p95 {_ms(p95)} ms (target 0 errors, ≤ 3,000), CPU {cpu_ratio:.2f}× the floor "
                                f"(target ≤ 2.5) — **{'met' if ok else 'not met'}**.")
        for run, g in enumerate(gs, 1):
            c = g.get("checks", {})
            verdicts.append(f"- {server}, {phones} phones, run {run}, after the run: ledger verification "
                            f"{'passed' if c.get('ledger_ok') else 'FAILED'}; public events {c.get('public_events')} "
                            f"numbered 1…{c.get('public_seq')} with {c.get('public_gaps')} gaps; private streams "
                            f"{c.get('private_streams')} with {c.get('private_gaps')} gaps.")
    lines += ["", *verdicts]
    if trade:
        c = trade["checks"]
        lines += ["", f"**Trading period**: {trade_phones} phones on `make run`'s server (gevent) for "
                  f"{trade_seconds:.0f} s after their gong flow; each phone, once a second: searches the board "
                  "(5 in 10), posts an offer (3 in 10), or starts an agreement with a phone of another "
                  "organisation, fills in an obligation in the editor, signs, and the partner signs on its own "
                  "session (2 in 10).", "",
                  f"Throughput {trade['throughput']:.1f} requests/s · {_errors(trade)} errors · "
                  f"{trade['agreements_signed']} agreements signed by both phones · event delivery "
                  f"p50 {_ms(trade['delivery_ms'].get('p50', 0))} / p95 {_ms(trade['delivery_ms'].get('p95', 0))} ms · "
                  f"lost events {trade['events']['lost']} · ledger verification "
                  f"{'passed' if c['ledger_ok'] else 'FAILED'} · public events {c['public_events']} numbered "
                  f"1…{c['public_seq']}, {c['public_gaps']} gaps · private streams {c['private_streams']}, "
                  f"{c['private_gaps']} gaps · signed agreements in the database {c['agreements_signed']}.", "",
                  "| request | count | failures | p50 | p95 | p99 |", "|---|---:|---:|---:|---:|---:|"]
        for name, e in trade["requests"].items():
            lines.append(f"| {name} | {e['requests']} | {e['failures']} | {_ms(e['p50'])} | {_ms(e['p95'])} | "
                         f"{_ms(e['p99'])} |")
    return "\n".join(lines)


def rewrite(results_dir: Path) -> int:
    """Write the section again from the JSON results a run left in `results_dir` (kept copies)."""
    runs: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for app_file in sorted(results_dir.glob("app-*-*-*.json"), key=lambda f: int(f.stem.rsplit("-", 1)[1])):
        _, server, phones, run = app_file.stem.split("-")
        floor_file = results_dir / f"floor-{server}-{phones}-{run}.json"
        runs.setdefault((server, int(phones)), []).append(
            {"gielda": json.loads(app_file.read_text(encoding="utf-8")),
             "floor": json.loads(floor_file.read_text(encoding="utf-8"))})
    trade_file = results_dir / "trading.json"
    trade = json.loads(trade_file.read_text(encoding="utf-8")) if trade_file.exists() else None
    order = {"gevent": 0, "threading": 1, "gunicorn": 2}
    runs = dict(sorted(runs.items(), key=lambda kv: (kv[0][1], order.get(kv[0][0], 9))))
    text = section(runs, trade, trade["phones"] if trade else 0, float(os.environ.get("LOAD_TRADING_SECONDS", "60")))
    merge_section("load", text)
    print(text)
    return 0


def compare() -> int:
    phone_counts = [int(x) for x in _env_list("LOAD_PHONES", "200,500")]
    servers = _env_list("LOAD_SERVERS", "gevent,threading,gunicorn")
    trade_phones = int(os.environ.get("LOAD_TRADING_PHONES", "200"))
    trade_seconds = float(os.environ.get("LOAD_TRADING_SECONDS", "60"))
    repeats = int(os.environ.get("LOAD_REPEATS", "3"))
    runs: dict[tuple[str, int], list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="gielda-load-") as tmp:
        workdir = Path(os.environ.get("LOAD_KEEP") or tmp)  # LOAD_KEEP: keep the logs and results there
        workdir.mkdir(parents=True, exist_ok=True)
        prepared = {n: prepare(workdir, n) for n in sorted({*phone_counts, trade_phones} - {0})}
        for phones in phone_counts:
            for server in servers:
                for run in range(1, repeats + 1):
                    print(f"== gong: {phones} phones, {server}, run {run} of {repeats} ==", flush=True)
                    pair = gong(workdir, phones, server, *prepared[phones], run=run)
                    runs.setdefault((server, phones), []).append(pair)
                    g, f = pair["gielda"], pair["floor"]
                    print(f"   Giełda p95 {g['http']['p95']} ms, CPU {g['cpu_s']:.2f} s; floor {f['http']['p95']} ms, "
                          f"CPU {f['cpu_s']:.2f} s; errors {_errors(g)}", flush=True)
        trade = None
        if trade_phones:
            print(f"== trading: {trade_phones} phones, {trade_seconds:.0f} s ==", flush=True)
            trade = trading(workdir, trade_phones, trade_seconds, *prepared[trade_phones])
    text = section(runs, trade, trade_phones, trade_seconds)
    merge_section("load", text)
    print(text)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target")
    parser.add_argument("--spec", type=Path)
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--scenario", choices=("gong", "trading"), default="gong")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--posters", type=int, help="only the first this many phones post (default: all)")
    parser.add_argument("--database-url")
    parser.add_argument("--rewrite", type=Path, metavar="DIR",
                        help="write the docs section again from a run's kept JSON results (LOAD_KEEP)")
    args = parser.parse_args()
    if args.rewrite:
        return rewrite(args.rewrite)
    if not args.target:
        return compare()
    if not args.spec:
        parser.error("--target needs --spec (python -m load.prepare writes it)")
    with tempfile.TemporaryDirectory(prefix="gielda-load-") as tmp:
        result = drive(args.spec, args.target.rstrip("/"), args.phones, Path(tmp) / "result.json", args.scenario,
                       args.seconds, args.posters)
    if args.database_url:
        result["checks"] = checks(args.database_url)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if _errors(result) == 0 and result["events"]["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
