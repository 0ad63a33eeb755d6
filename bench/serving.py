"""The parts of bench.national that run in other processes: the participant export, and throughput under gunicorn.

The export runs in a fresh Python process per measure, so its peak memory (VmHWM) is its own:

    python -m bench.serving export --database-url URL --way app|plain

prints one line of JSON: rows, seconds, cpu_seconds (the process's own CPU time over the same
span: on a shared machine the wall-clock seconds of two runs can differ by 2× while their CPU time
stays within a few percent), the peak resident memory of the process (VmHWM) and how far that peak
is above its resident memory just before the export. "app" is
GET /beneficiaries/export.xlsx?kind=named through Flask's test client, signed in as synth-officer
(all provinces). "plain" is the floor: the same rows (columns, filter and order) read with one SQL
statement through the DB-API cursor and appended as they come to an openpyxl write-only sheet.
Both processes create the app first, so they start from the same memory.

Throughput: gunicorn (sync workers) on a free port of 127.0.0.1 serves the registry (wsgi:app) or
bench/hello.py, and a load generator of a few processes, each with a few threads sending
`Connection: close` requests on raw sockets, counts the answers over a fixed number of seconds.
"""
import argparse
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import requests

from registry.synthetic.accounts import PASSWORD, PREFIX

from bench import ROOT, loadtest

OFFICER = PREFIX + "officer"  # all provinces: the widest lists
HOST = loadtest.HOST
SECRET = "bench-secret"
CHILD = [sys.executable, "-m", "bench.serving"]  # this module, in a process of its own
EXPORT_URL = "/beneficiaries/export.xlsx?kind=named"
# The named export's rows (registry/beneficiaries/export_views.py _named), as one plain statement.
PLAIN_SQL = """SELECT b.code, b.family_name, b.given_name, b.family_name_km, b.given_name_km, b.sex,
    b.date_of_birth, b.birth_year, b.phone, p.name_en, b.district, b.commune, b.village, b.category, b.status,
    b.registered_on
FROM beneficiary AS b JOIN province AS p ON p.code = b.province_id
WHERE b.status <> 'merged' AND b.consent_data_use ORDER BY b.id DESC"""
PLAIN_HEADERS = ["Code", "Family name", "Given name", "Family name (Khmer)", "Given name (Khmer)", "Sex",
                 "Date of birth", "Birth year (estimated)", "Phone", "Province", "District", "Commune", "Village",
                 "Category", "Status", "Registration date"]
DATE_COLUMNS = (6, 15)  # SQLite hands dates over as text; they are written as dates, as the app writes them


# --- Signing in ---------------------------------------------------------------------------------------------

def sign_in(client, username):
    """Sign a Flask test client in through the login form (CSRF is off in the benchmark's configuration)."""
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"Signing in as {username} failed ({response.status_code}).")
    return client


def http_cookie(base, username):
    """Sign in over HTTP (the login form with its CSRF token); return the Cookie header of the session."""
    with requests.Session() as browser:
        browser.trust_env = False  # no proxy from the environment
        token = loadtest.CSRF.search(browser.get(base + "/login", timeout=30).text).group(1)
        answer = browser.post(base + "/login", data={"username": username, "password": PASSWORD,
                                                     "csrf_token": token}, allow_redirects=False, timeout=30)
        if answer.status_code != 302:
            raise SystemExit(f"Signing in to gunicorn as {username} failed ({answer.status_code}).")
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in browser.cookies)


# --- The participant export, in a process of its own ---------------------------------------------------------

def _status_mb(field):
    """A memory figure of this process from /proc/self/status, in MB (10**6 bytes; Linux reports KiB)."""
    with open("/proc/self/status") as status:
        kib = next(int(line.split()[1]) for line in status if line.startswith(field + ":"))
    return kib * 1024 / 1e6


def peak_mb():
    """The peak resident memory of this process so far (VmHWM), in MB.

    Not ru_maxrss: Linux carries it over from the parent through fork and exec, so a child of a
    large process would report the parent's size.
    """
    return _status_mb("VmHWM")


def resident_mb():
    """The resident memory of this process now (VmRSS), in MB."""
    return _status_mb("VmRSS")


def _app(url):
    from registry import create_app

    from bench.training import bench_config

    return create_app(bench_config(url))


def export_through_app(url):
    """The named export through the test client: (rows, bytes); the rows as the audit event records them."""
    from registry.audit.models import AuditEvent
    from registry.db import database

    app = _app(url)
    client = sign_in(app.test_client(), OFFICER)
    before, started, cpu = resident_mb(), time.perf_counter(), time.process_time()
    response = client.get(EXPORT_URL, buffered=False)
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if response.status_code != 200:
        raise SystemExit(f"The export answered {response.status_code}.")
    with app.app_context(), database.connection_context():
        event = (AuditEvent.select().where(AuditEvent.action == "beneficiary.export")
                 .order_by(AuditEvent.id.desc()).get())
    return {"rows": json.loads(event.detail)["rows"], "bytes": size, "seconds": seconds, "cpu_seconds": cpu,
            "before": before}


def plain_rows(cursor):
    """The cursor's rows, dates as dates on every database."""
    for row in cursor:
        if isinstance(row[DATE_COLUMNS[0]], str) or isinstance(row[DATE_COLUMNS[1]], str):
            row = list(row)
            for index in DATE_COLUMNS:
                if isinstance(row[index], str):
                    row[index] = date.fromisoformat(row[index])
        yield row


def export_plain(url):
    """The same rows with one statement and a bare openpyxl write-only loop: (rows, bytes)."""
    from openpyxl import Workbook

    from registry.db import database

    app = _app(url)
    with app.app_context(), database.connection_context():
        before, started, cpu = resident_mb(), time.perf_counter(), time.process_time()
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Participants")
        sheet.append(PLAIN_HEADERS)
        rows = 0
        for row in plain_rows(database.execute_sql(PLAIN_SQL)):
            sheet.append(row)
            rows += 1
        with tempfile.TemporaryFile() as out:
            workbook.save(out)
            size = out.tell()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"rows": rows, "bytes": size, "seconds": seconds, "cpu_seconds": cpu, "before": before}


def export_figures(url, way):
    """Run one export way in a fresh process; return its figures with its peak memory."""
    done = subprocess.run([*CHILD, "export", "--database-url", url, "--way", way], cwd=ROOT,
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"The {way} export failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Throughput under gunicorn -------------------------------------------------------------------------------

class Served(loadtest.Server):
    """gunicorn with N sync workers serving any WSGI app on a free port of 127.0.0.1; no access log."""

    def __init__(self, app_spec, env, workers, folder, ready_path):
        self.port, self.count, self.ready_path = loadtest.free_port(), workers, ready_path
        self.base = f"http://{HOST}:{self.port}"
        self.log_path = folder / f"gunicorn-{app_spec.split(':')[0]}.log"
        command = [loadtest.tool("gunicorn"), "--workers", str(workers), "--bind", f"{HOST}:{self.port}",
                   "--no-control-socket", "--chdir", str(ROOT), app_spec]
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, seconds=60):
        """Wait until ready_path answers (200, or 302 to the sign-in page) and every worker is up."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}): see {self.log_path}")
            try:
                if _get(self.port, self.ready_path, "")[0] in (200, 302) and len(self.workers()) == self.count:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {seconds} s: see {self.log_path}")


def _get(port, path, cookie, timeout=60):
    """One GET on a new connection, read to the end: (status, bytes received)."""
    request = (f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nCookie: {cookie}\r\n"
               "Connection: close\r\n\r\n").encode()
    received, first = 0, b""
    with socket.create_connection((HOST, port), timeout=timeout) as conn:
        conn.sendall(request)
        while chunk := conn.recv(65536):
            first = first or chunk
            received += len(chunk)
    return int(first[9:12]), received


def load_child():
    """A generator process: read its orders (JSON) on stdin, say ready, wait for the start time, then report.

    Orders: port, paths (sent in turn), cookie, threads, warmup and seconds. Only answers that end
    within the window [start + warmup, start + warmup + seconds] are counted.
    """
    orders = json.loads(sys.stdin.readline())
    counts, lock, go, start = {"done": 0, "errors": 0, "statuses": {}}, threading.Lock(), threading.Event(), [0.0]

    def run(offset):
        go.wait()
        begin = start[0] + orders["warmup"]
        end, turn = begin + orders["seconds"], offset
        while time.time() < end:
            try:
                status, _size = _get(orders["port"], orders["paths"][turn % len(orders["paths"])], orders["cookie"])
            except OSError:
                status = None
            turn += orders["threads"]
            if begin <= time.time() <= end:
                with lock:
                    counts["done" if status == 200 else "errors"] += 1
                    counts["statuses"][str(status)] = counts["statuses"].get(str(status), 0) + 1

    workers = [threading.Thread(target=run, args=(n,)) for n in range(orders["threads"])]
    for worker in workers:
        worker.start()
    print("ready", flush=True)
    start[0] = float(sys.stdin.readline())
    go.set()
    for worker in workers:
        worker.join()
    print(json.dumps(counts), flush=True)


def hammer(port, paths, cookie, seconds, warmup=2.0, processes=2, threads=4):
    """Requests per second answered 200 over seconds (after warmup seconds), from processes × threads clients."""
    children = [subprocess.Popen([*CHILD, "load"], cwd=ROOT, stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True) for _n in range(processes)]
    for n, child in enumerate(children):
        child.stdin.write(json.dumps({"port": port, "paths": paths[n::processes] or paths, "cookie": cookie,
                                      "threads": threads, "warmup": warmup, "seconds": seconds}) + "\n")
        child.stdin.flush()
    for child in children:
        if child.stdout.readline().strip() != "ready":
            raise SystemExit("A load generator process did not start: see its error above.")
    start = time.time() + 0.2
    for child in children:
        child.stdin.write(f"{start}\n")
        child.stdin.flush()
    totals = [json.loads(child.stdout.readline()) for child in children]
    for child in children:
        child.wait(timeout=60)
    statuses = {}
    for total in totals:
        for status, count in total["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    done = sum(total["done"] for total in totals)
    return {"rps": done / seconds, "done": done, "errors": sum(total["errors"] for total in totals),
            "statuses": statuses, "seconds": seconds, "clients": processes * threads}


def _merged(first, second):
    """Two hammer() figures of the same target as one: requests over both windows."""
    statuses = {key: first["statuses"].get(key, 0) + second["statuses"].get(key, 0)
                for key in {*first["statuses"], *second["statuses"]}}
    done, seconds = first["done"] + second["done"], first["seconds"] + second["seconds"]
    return {"rps": done / seconds, "done": done, "errors": first["errors"] + second["errors"], "statuses": statuses,
            "seconds": seconds, "clients": first["clients"], "runs": [first["rps"], second["rps"]]}


def throughput(url, targets, seconds, workers=4):
    """Requests per second of each registry path list in targets ({name: [paths]}) and of the one-line route.

    Both servers run side by side (idle workers cost nothing); the one-line route is measured before
    and after the registry, and counted over both windows, as the machine's other work comes and goes.
    The registry's health check (GET /healthz: its request hooks and one SELECT 1, no login) is
    measured too, to tell the cost of the list from the cost of any request to the registry.
    """
    folder = Path(tempfile.mkdtemp(prefix="bench-gunicorn-"))
    env = loadtest.server_env(url, SECRET)
    hello = Served("bench.hello:app", env, workers, folder, "/")
    app = Served("wsgi:app", env, workers, folder, "/login")
    try:
        hello.wait_ready()
        app.wait_ready()
        before = hammer(hello.port, ["/"], "", seconds)
        cookie = http_cookie(app.base, OFFICER)
        figures = {name: hammer(app.port, paths, cookie, seconds) for name, paths in targets.items()}
        figures["health check"] = hammer(app.port, ["/healthz"], "", seconds)  # the registry's own floor
        figures["one-line route"] = _merged(before, hammer(hello.port, ["/"], "", seconds))
    finally:
        hello.stop()
        app.stop()
    return {"workers": workers, "log_folder": str(folder), **figures}


def main(argv=None):
    """A child process: measure one export way and print its figures as JSON, or generate load."""
    parser = argparse.ArgumentParser(description="One participant export, measured in this process; or a load "
                                                 "generator process (orders on stdin).")
    parser.add_argument("command", choices=["export", "load"])
    parser.add_argument("--database-url")
    parser.add_argument("--way", choices=["app", "plain"])
    args = parser.parse_args(argv)
    if args.command == "load":
        load_child()
        return
    if not (args.database_url and args.way):
        parser.error("export needs --database-url and --way.")
    figures = (export_through_app if args.way == "app" else export_plain)(args.database_url)
    before, peak = figures.pop("before"), peak_mb()
    print(json.dumps({**figures, "peak_mb": peak, "growth_mb": peak - before}))


if __name__ == "__main__":
    main()
