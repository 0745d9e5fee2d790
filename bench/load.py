#!/usr/bin/env python3
"""Mixed traffic against a running site for a while, then requests/s, latency and errors.

    bench/load.py [http://127.0.0.1:8000] [--duration 60] [--connections 32] [--slug SLUG]

Point it at `make serve-prod` (loopback only). It picks the biggest published hub (or
--slug), its citing papers and citations through the API, then runs wrk (Debian's
`wrk`) with bench/load.lua: hub pages, the explorer with filters and sorts, paper pages,
API lists and facets, exports and feeds, and, with PITHSITE_BENCH_TOKEN set to a
curator's API token, a few curator writes (reviews and classifications, 1%).

Set the server's PITHSITE_API_ANON_RATE high for the run: every request comes from one
address, and the anonymous API throttle would otherwise answer 429 (counted as errors).
It prints figures and exits non-zero on any 5xx or failed (socket) request.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def get_json(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return json.load(response)


def targets(base: str, slug: str | None) -> dict[str, str]:
    if not slug:
        hubs = get_json(base, "/api/v1/hubs/")["results"]
        if not hubs:
            sys.exit("no published hub: load one (make demo, or generate_corpus)")
        slug = max(hubs, key=lambda hub: hub.get("citing_count") or 0)["slug"]
    rows = get_json(base, f"/api/v1/hubs/{urllib.parse.quote(slug)}/citing-papers/?page_size=100")
    rows = rows["results"]
    return {
        "PITH_SLUG": slug,
        "PITH_PAPERS": ",".join(row["paper"]["identifier"] for row in rows),
        "PITH_CITATIONS": ",".join(str(row["citation_id"]) for row in rows),
        "PITH_TOKEN": os.environ.get("PITHSITE_BENCH_TOKEN", ""),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--duration", type=int, default=60, help="seconds (default 60)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--slug")
    options = parser.parse_args()
    host = urllib.parse.urlsplit(options.url).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        sys.exit("bench/load.py runs against a loopback address only")
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("wrk not found: apt-get install wrk")
    base = options.url.rstrip("/")
    environment = {**os.environ, **targets(base, options.slug)}
    result = subprocess.run(
        [wrk, f"--threads={options.threads}", f"--connections={options.connections}",
         f"--duration={options.duration}s", "--timeout=10s", f"--script={HERE / 'load.lua'}",
         base],
        env=environment, capture_output=True, text=True, check=False,
    )  # fmt: skip
    lines = [line for line in result.stdout.splitlines() if line.startswith("PITH-RESULT ")]
    if result.returncode != 0 or not lines:
        sys.stderr.write(result.stdout + result.stderr)
        return 2
    figures = json.loads(lines[-1].removeprefix("PITH-RESULT "))
    failed = sum(figures["socket_errors"].values())
    print(
        f"{figures['requests']:,} requests in {figures['seconds']:.1f} s "
        f"({options.connections} connections): "
        f"{figures['requests'] / figures['seconds']:.1f} requests/s\n"
        f"latency p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, "
        f"p99 {figures['p99_ms']:.0f} ms, max {figures['max_ms']:.0f} ms\n"
        f"answers: {figures['ok']:,} 2xx, {figures['redirects']} 3xx, "
        f"{figures['client_errors']} 4xx, {figures['server_errors']} 5xx "
        f"(codes {figures['codes'] or '-'}); curator writes: {figures['writes']}\n"
        f"failed requests (socket errors): {failed} {figures['socket_errors']}"
    )
    return 1 if figures["server_errors"] or failed else 0


if __name__ == "__main__":
    sys.exit(main())
