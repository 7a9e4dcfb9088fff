#!/usr/bin/env python3
"""propetl benchmarks (`make bench`).

Every scenario runs the real `etl` binary against `replica-api` on loopback (the parser
micro-benchmark runs Google Benchmark), repeats it (3 times by default), takes the median
and checks it against its target: PASS or MISS. A miss is reported, never an error: the
exit code is 0 unless a run itself fails. Output: a table on stdout and
bench/results/latest.json (machine, commit, every figure of every repeat).

    bench/run_bench.py                      # every scenario
    bench/run_bench.py --only latency,skip  # some of them (names: see SCENARIOS)
    bench/run_bench.py --repeats 5
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))
ETL = os.path.join(BUILD, "etl", "cli", "etl")
REPLICA = os.path.join(BUILD, "replica", "replica-api")
PARSER_BENCH = os.path.join(BUILD, "bench", "parser_bench")
WRITE_LIMIT = os.path.join(BUILD, "bench", "write_limit")
CONFIG = os.path.join(ROOT, "municipalities.yaml")
PG_BIN = "/usr/lib/postgresql/15/bin"


class Replica:
    """replica-api on a free loopback port for the duration of a `with` block."""

    def __init__(self, *args):
        self.args = [REPLICA, "--port", "0", *args]

    def __enter__(self):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on "):
            raise RuntimeError(f"replica-api did not start: {line!r}")
        self.url = "http://" + line.split("listening on ", 1)[1]
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Postgres:
    """A throw-away PostgreSQL server (initdb into a temp dir, as user postgres when root)."""

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="propetl-bench-pg-")
        self.data = os.path.join(self.dir, "data")
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        self._pg(["initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"])
        opts = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.dir} -c synchronous_commit=off"
        self._pg(["pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "log"), "-o", opts, "-w", "start"])
        self.db = 0
        return self

    def _pg(self, argv):
        cmd = [os.path.join(PG_BIN, argv[0]), *argv[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def fresh_db(self):
        self.db += 1
        name = f"bench{self.db}"
        self._pg(["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name])
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def __exit__(self, *exc):
        try:
            self._pg(["pg_ctl", "-D", self.data, "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def etl_run(api, db, *args):
    """Runs `etl run`; returns its summary JSON plus the wall time measured here."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        summary_path = f.name
    cmd = [ETL, "run", "--config", CONFIG, "--api-url", api, "--db", db, "--progress", "none", "--log-level", "warn",
           "--summary-json", summary_path, *args]
    if "--max-rps" not in args:
        cmd += ["--max-rps", "0"]  # the replica needs no politeness; scenarios that measure it say so
    start = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"etl run failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    with open(summary_path) as f:
        summary = json.load(f)
    os.unlink(summary_path)
    summary["wall_s"] = wall
    return summary


def fresh_sqlite(tmp, name):
    path = os.path.join(tmp, name)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)
    return "sqlite:" + path


def rate(summary):
    return summary["totals"]["loaded"] / summary["elapsed_s"]


class Bench:
    def __init__(self, repeats, tmp):
        self.repeats = repeats
        self.tmp = tmp
        self.rows = []      # (scenario, figure, value, unit, target, verdict)
        self.figures = {}   # scenario -> figure -> {"median":..., "runs": [...]}
        self.load_rates = {}  # load scenario -> median properties/s, for the limit's ratios

    def record(self, scenario, figure, runs, unit, target=None, higher_is_better=True):
        med = statistics.median(runs)
        verdict = ""
        if target is not None:
            ok = med >= target if higher_is_better else med <= target
            verdict = "PASS" if ok else "MISS"
        self.figures.setdefault(scenario, {})[figure] = {"median": med, "runs": runs, "unit": unit, "target": target,
                                                         "verdict": verdict or None}
        shown_target = "" if target is None else ("≥ " if higher_is_better else "≤ ") + fmt(target)
        self.rows.append((scenario, figure, fmt(med), unit, shown_target, verdict))
        print(f"  {scenario:<12} {figure:<34} {fmt(med):>10} {unit:<8} {shown_target:<10} {verdict}", flush=True)
        return med

    def repeat(self, fn):
        return [fn(i) for i in range(self.repeats)]


def fmt(v):
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"
    return str(v)


# ---- scenarios ----

def latency(b):
    """Latency-bound efficiency: 200 ms ± 20 ms, 2,000 new properties, workers 12 and 48."""
    rates = {}
    with Replica("--scale", "0.15", "--latency-ms", "200", "--jitter-ms", "20") as r:
        for workers in (12, 48):
            summaries = b.repeat(lambda i: etl_run(r.url, fresh_sqlite(b.tmp, f"lat{workers}.db"), "--municipality",
                                                   "København", "--limit", "2000", "--workers", str(workers)))
            runs = [rate(s) for s in summaries]
            rates[workers] = statistics.median(runs)
            b.record("latency", f"properties/s, workers {workers}", runs, "/s")
            b.record("latency", f"efficiency, workers {workers}", [x / (workers / 0.2) for x in runs], "", 0.90)
            # Mostly waiting on the network: CPU here is overhead (e.g. threads spinning while idle).
            b.record("latency", f"CPU s per 1,000 properties, workers {workers}",
                     [s["cpu_s"] / s["totals"]["loaded"] * 1000 for s in summaries], "s", higher_is_better=False)
    return rates


def sequential(b, rates):
    """Sequential baseline (workers 1, batch size 1) of the latency scenario, and the speedup.
    100 properties instead of 2,000: at ~4.5/s the full 2,000 would take 7 minutes a repeat."""
    with Replica("--scale", "0.15", "--latency-ms", "200", "--jitter-ms", "20") as r:
        runs = b.repeat(lambda i: rate(etl_run(r.url, fresh_sqlite(b.tmp, "seq.db"), "--municipality", "København",
                                               "--limit", "100", "--workers", "1", "--batch-size", "1")))
    base = b.record("sequential", "properties/s, workers 1", runs, "/s")
    if 12 in rates and base > 0:
        b.record("sequential", "speedup of workers 12", [rates[12] / base], "x")


def zero_latency(b, db_factory, scenario, target, n=20000, scale="0.1"):
    """Pipeline overhead: zero latency, n properties, workers 32, replica on the same cores."""
    with Replica("--scale", scale) as r:
        runs = b.repeat(lambda i: rate(etl_run(r.url, db_factory(i), "--area", "copenhagen", "--limit", str(n),
                                               "--workers", "32")))
    return b.record(scenario, f"properties/s, {n:,} properties", runs, "/s", target)


def sqlite(b):
    zero_latency(b, lambda i: fresh_sqlite(b.tmp, "zero.db"), "sqlite", 2000)
    b.load_rates["sqlite 50,000"] = zero_latency(b, lambda i: fresh_sqlite(b.tmp, "zero50k.db"), "sqlite", None,
                                                 50000, "0.22")


def postgres(b):
    with Postgres() as pg:
        b.load_rates["postgres 20,000"] = zero_latency(b, lambda i: pg.fresh_db(), "postgres", 5000)


def limit(b):
    """What one thread can write: write_limit copies the 50,000 properties etl stored (the last
    sqlite repeat's database) into a fresh database, same schema and settings, batches of 50;
    each load scenario as a ratio to it."""
    source = os.path.join(b.tmp, "zero50k.db")
    if not os.path.exists(source):
        with Replica("--scale", "0.22") as r:
            etl_run(r.url, "sqlite:" + source, "--area", "copenhagen", "--limit", "50000", "--workers", "32")
    dest = os.path.join(b.tmp, "limit.db")

    def once(i):
        out = subprocess.run([WRITE_LIMIT, source, dest, "--batch-size", "50"], check=True, capture_output=True,
                             text=True).stdout
        return json.loads(out)["properties_per_s"]

    top = b.record("limit", "properties/s, one thread, 50,000", b.repeat(once), "/s")
    targets = {"sqlite 50,000": 0.85}
    for name, value in b.load_rates.items():
        b.record("limit", f"ratio, {name}", [value / top], "", targets.get(name))


def memory_and_skip(b):
    """Peak RSS importing 10,000 and 50,000 properties; then the skip path over the 50,000."""
    peaks = {}
    for n, scale in ((10000, "0.05"), (50000, "0.22")):
        with Replica("--scale", scale) as r:
            runs = b.repeat(lambda i: etl_run(r.url, fresh_sqlite(b.tmp, f"mem{n}.db"), "--area", "copenhagen",
                                              "--limit", str(n), "--workers", "32")["peak_rss_kb"] / 1024)
            peaks[n] = b.record("memory", f"peak RSS MB, {n:,} properties", runs, "MB", 200, higher_is_better=False)
            if n == 50000:
                stored = "sqlite:" + os.path.join(b.tmp, "mem50000.db")  # the last repeat's database
                # Top up so every discovered ID is stored (the limit left the rest of the area out).
                etl_run(r.url, stored, "--area", "copenhagen", "--workers", "32", "--details", "never")
                runs = b.repeat(lambda i: (lambda s: s["totals"]["discovered"] / s["elapsed_s"])(
                    etl_run(r.url, stored, "--area", "copenhagen", "--workers", "32")))
                b.record("skip", "IDs checked/s, nothing new", runs, "/s", 50000)
    b.record("memory", "RSS ratio 50,000 / 10,000", [peaks[50000] / peaks[10000]], "", 1.15, higher_is_better=False)


def parser(b):
    """Parser micro-benchmark (Google Benchmark) over the real fixtures, one core."""
    runs_rate, runs_mb = [], []
    for _ in range(b.repeats):
        out = subprocess.run(["taskset", "-c", "0", PARSER_BENCH, "--benchmark_format=json"], check=True,
                             capture_output=True, text=True).stdout
        bm = json.loads(out)["benchmarks"][0]
        runs_rate.append(bm["items_per_second"])
        runs_mb.append(bm["bytes_per_second"] / 1e6)
    b.record("parser", "records/s, one core", runs_rate, "/s", 50000)
    b.record("parser", "MB/s, one core", runs_mb, "MB/s")


def search_only(b):
    """Search-only import (--details never) at the API's politeness limit: ~20,000 properties,
    --max-rps 10, 200 ms latency. The detail-mode comparison runs 300 properties and is
    projected to the same count (20,000 detail requests at 10/s take over half an hour)."""
    with Replica("--scale", "0.088", "--latency-ms", "200", "--search-items", "full") as r:
        runs = b.repeat(lambda i: etl_run(r.url, fresh_sqlite(b.tmp, "never.db"), "--area", "copenhagen",
                                          "--details", "never", "--max-rps", "10", "--workers", "12"))
        loaded = statistics.median([s["totals"]["loaded"] for s in runs])
        b.record("search-only", "properties loaded", [float(s["totals"]["loaded"]) for s in runs], "")
        b.record("search-only", "wall time, details never", [s["elapsed_s"] for s in runs], "s")
        b.record("search-only", "requests per property, never", [s["api"]["requests_per_loaded_property"] for s in runs],
                 "", 0.03, higher_is_better=False)
        runs = b.repeat(lambda i: etl_run(r.url, fresh_sqlite(b.tmp, "always.db"), "--area", "copenhagen",
                                          "--details", "always", "--max-rps", "10", "--workers", "12", "--limit", "300"))
        b.record("search-only", "requests per property, always", [s["api"]["requests_per_loaded_property"] for s in runs], "")
        b.record("search-only", "projected wall time, always", [s["elapsed_s"] / 300 * loaded for s in runs], "s")


def nightly(b):
    """The nightly job's cost in requests, on two markets of the copenhagen area.

    Realistic: the area at replica scale 1 (228,594 villas) with `--churn real` (the market as
    measured, tools/reference/MARKET.md), imported at epoch 0 with `--details never` (every
    search item, and the details of the listed villas: all a nightly reads), then each repeat
    one night's `--refresh on-market` at --max-rps 10 and 200 ms latency: measured, not
    projected, and a week on the weekly plain run (unthrottled; its requests at 10/s). Upper
    bound: `--churn busy` (~15% of listings change a night) at scale 0.1, imported in full, the
    same nights, projected to scale 1 (case pages per municipality at 500 a page, the rest
    x10); then the weekly plain run after those nights."""

    def by(s, endpoint):
        return s["api"]["requests_by_endpoint"].get(endpoint, 0)

    # The case pages (and the start-up check), an address-search count per municipality whose
    # case list came back empty where listings are stored, and 1.2 x the listings that changed.
    def budget(s):
        return (by(s, "search_cases") + by(s, "municipalities") + by(s, "search_addresses") +
                1.2 * s["totals"]["listing_changes"])

    def events(s):
        return float(sum(s["events"].values()))

    db = fresh_sqlite(b.tmp, "nightly-real.db")
    with Replica("--scale", "1", "--churn", "real", "--epoch", "0") as r:
        etl_run(r.url, db, "--area", "copenhagen", "--workers", "32", "--details", "never")
    nights = []
    for night in range(1, b.repeats + 1):
        with Replica("--scale", "1", "--churn", "real", "--epoch", str(night), "--latency-ms", "200") as r:
            nights.append(etl_run(r.url, db, "--area", "copenhagen", "--refresh", "on-market", "--max-rps", "10"))
    b.record("nightly", "real: listings (scale 1)", [float(s["totals"]["listed"]) for s in nights], "")
    b.record("nightly", "real: listings that changed", [float(s["totals"]["listing_changes"]) for s in nights], "")
    b.record("nightly", "real: case pages", [float(by(s, "search_cases")) for s in nights], "")
    b.record("nightly", "real: details", [float(by(s, "addresses")) for s in nights], "")
    b.record("nightly", "real: requests per night", [float(s["api"]["requests"]) for s in nights], "", 1000,
             higher_is_better=False)
    b.record("nightly", "real: requests over budget", [s["api"]["requests"] - budget(s) for s in nights], "", 0,
             higher_is_better=False)
    b.record("nightly", "real: events per night", [events(s) for s in nights], "")
    b.record("nightly", "real: seconds per night at 10 rps", [s["elapsed_s"] for s in nights], "s")
    # The weekly plain run on the same market, a week on; unthrottled (~9,000 requests would be
    # 15 minutes at 10/s), its requests projected to 10/s.
    with Replica("--scale", "1", "--churn", "real", "--epoch", str(b.repeats + 4)) as r:
        weekly = etl_run(r.url, db, "--area", "copenhagen", "--workers", "32")
    b.record("weekly", "real: requests, plain run (scale 1)", [float(weekly["api"]["requests"])], "")
    b.record("weekly", "real: address pages", [float(by(weekly, "search_addresses"))], "")
    b.record("weekly", "real: details", [float(by(weekly, "addresses"))], "")
    b.record("weekly", "real: minutes at 10 rps", [weekly["api"]["requests"] / 10 / 60], "min")

    scale, full = "0.1", 10
    db = fresh_sqlite(b.tmp, "nightly.db")
    with Replica("--scale", scale, "--epoch", "0") as r:
        etl_run(r.url, db, "--area", "copenhagen", "--workers", "32")
    nights = []
    for night in range(1, b.repeats + 1):
        with Replica("--scale", scale, "--epoch", str(night), "--latency-ms", "200") as r:
            nights.append(etl_run(r.url, db, "--area", "copenhagen", "--refresh", "on-market", "--max-rps", "10"))

    def projected(s):
        pages = sum(max(1, -(-m.get("listed", 0) * full // 500)) for m in s["municipalities"] if m["code"])
        return pages + by(s, "municipalities") + full * by(s, "addresses")

    b.record("nightly", "busy: listings (scale 0.1)", [float(s["totals"]["listed"]) for s in nights], "")
    b.record("nightly", "busy: listings that changed", [float(s["totals"]["listing_changes"]) for s in nights], "")
    b.record("nightly", "busy: requests per night", [float(s["api"]["requests"]) for s in nights], "")
    b.record("nightly", "busy: address-search counts (empty case lists)", [float(by(s, "search_addresses")) for s in nights], "")
    b.record("nightly", "busy: requests over budget", [s["api"]["requests"] - budget(s) for s in nights], "", 0,
             higher_is_better=False)
    b.record("nightly", "busy: events per night", [events(s) for s in nights], "")
    b.record("nightly", "busy: seconds per night at 10 rps", [s["elapsed_s"] for s in nights], "s")
    b.record("nightly", "busy: CPU seconds per night", [s["cpu_s"] for s in nights], "s")
    b.record("nightly", "busy: projected requests, scale 1", [float(projected(s)) for s in nights], "", 1000,
             higher_is_better=False)
    b.record("nightly", "busy: projected minutes at 10 rps", [projected(s) / 10 / 60 for s in nights], "min")
    with Replica("--scale", scale, "--epoch", str(b.repeats + 1), "--latency-ms", "200") as r:
        weekly = etl_run(r.url, db, "--area", "copenhagen", "--max-rps", "10")
    changed = weekly["totals"]["loaded"] + weekly["totals"]["removed"]
    b.record("weekly", "busy: requests, plain run", [float(weekly["api"]["requests"])], "")
    b.record("weekly", "busy: address pages", [float(by(weekly, "search_addresses"))], "")
    b.record("weekly", "busy: details / properties that changed", [by(weekly, "addresses") / max(1, changed)], "", 1.2,
             higher_is_better=False)
    b.record("weekly", "busy: seconds at 10 rps", [weekly["elapsed_s"]], "s")
    b.record("weekly", "busy: projected minutes at 10 rps, scale 1", [weekly["api"]["requests"] * full / 10 / 60], "min")


SCENARIOS = {
    "latency": None, "sequential": None, "sqlite": sqlite, "postgres": postgres, "limit": limit, "memory": memory_and_skip,
    "parser": parser, "search-only": search_only, "nightly": nightly,
}


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    mem_kb = 0
    with open("/proc/meminfo") as f:
        mem_kb = int(next(l for l in f if l.startswith("MemTotal")).split()[1])
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "kernel": platform.release(), "python": platform.python_version()}


def commit():
    try:
        return subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="", help="comma-separated scenarios: " + ", ".join(SCENARIOS))
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    chosen = [s for s in args.only.split(",") if s] or list(SCENARIOS)
    unknown = [s for s in chosen if s not in SCENARIOS]
    if unknown:
        ap.error(f"unknown scenario(s): {', '.join(unknown)}")
    for binary in (ETL, REPLICA, PARSER_BENCH, WRITE_LIMIT):
        if not os.path.exists(binary):
            sys.exit(f"missing {binary}: run `make build` first")

    tmp = tempfile.mkdtemp(prefix="propetl-bench-")
    b = Bench(args.repeats, tmp)
    started = time.time()
    try:
        print(f"  {'SCENARIO':<12} {'FIGURE':<34} {'MEDIAN':>10} {'UNIT':<8} {'TARGET':<10} RESULT")
        rates = {}
        if "latency" in chosen:
            rates = latency(b)
        if "sequential" in chosen:
            sequential(b, rates)
        for name in chosen:
            if SCENARIOS[name]:
                SCENARIOS[name](b)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    result = {"machine": machine(), "commit": commit(), "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
              "duration_s": round(time.time() - started, 1), "repeats": args.repeats, "scenarios": b.figures}
    out = os.path.join(ROOT, "bench", "results", "latest.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    misses = sum(1 for r in b.rows if r[5] == "MISS")
    passes = sum(1 for r in b.rows if r[5] == "PASS")
    print(f"\n{passes} targets met, {misses} missed; figures in {os.path.relpath(out, os.getcwd())}")


if __name__ == "__main__":
    main()
