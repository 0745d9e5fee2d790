#!/usr/bin/env bash
# bench/load.py against the production settings on this machine, with data to push on:
#
#   bin/with-postgres bench/load-local.sh [HUB_CITATIONS] [-- load.py options]
#
# Stands in for `make serve-prod` on a throwaway database: migrates, generates a corpus
# (a hub of HUB_CITATIONS citing papers, default 20000), makes a curator's API token,
# collects static files, serves with gunicorn (production settings, 2 x CPUs + 1 workers,
# loopback only), runs the load for 60 s and stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
citations=${1:-20000}
shift || true
[[ ${1:-} == -- ]] && shift

py=.venv/bin/python
port=${PORT:-8765}
export DJANGO_SETTINGS_MODULE=pithsite.settings.prod
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-load-test-secret-0123456789abcdefghijklmnopqrstuvwxyz}
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=0   # plain HTTP on loopback: no redirect to https
export PITHSITE_API_ANON_RATE=1000000/min PITHSITE_API_USER_RATE=1000000/min

$py manage.py migrate -v0
$py manage.py generate_corpus --papers $((citations + 10)) --hub-citations "$citations" >/dev/null
$py manage.py collectstatic --no-input -v0
PITHSITE_BENCH_TOKEN=$(DJANGO_SETTINGS_MODULE=pithsite.settings.dev $py -c '
import django; django.setup()
from accounts.services import api_token_create
from tests.factories import CuratorFactory
print(api_token_create(user=CuratorFactory(), name="load test")[1])')
export PITHSITE_BENCH_TOKEN

workers=$(( 2 * $(nproc) + 1 ))
$py -m gunicorn pithsite.wsgi --bind "127.0.0.1:$port" --workers "$workers" \
    --log-level warning >var/load-gunicorn.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 \
    || curl -sf "http://127.0.0.1:$port/robots.txt" >/dev/null && break; sleep 0.2; done

echo "gunicorn: $workers workers; hub of $citations citing papers"
$py bench/load.py "http://127.0.0.1:$port" "$@"
