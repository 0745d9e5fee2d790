"""How many citing sentences per second the shipped classifier labels on one core.

    .venv/bin/python bench/classifier_speed.py [--data ../shared/data/scicite/dev.jsonl]

Runs with numpy/BLAS limited to one thread and reports both wall time and the process's
CPU time (the CPU figure holds when other jobs share the machine). Without --data it
uses synthetic sentences of SciCite's typical length. It prints figures; it asserts
nothing.
"""

import argparse
import os
import sys
import time
from pathlib import Path

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pithsite.settings.dev")

import django  # noqa: E402

django.setup()

from hubs.classification import load_model  # noqa: E402
from hubs.classification.data import read_scicite  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, help="SciCite JSON Lines to take sentences from.")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.data:
        examples = read_scicite(args.data)
        texts, sections = [e.text for e in examples], [e.section for e in examples]
    else:
        sentence = (
            "Consistent with previous reports (Smith et al., 2010; Lee, 2012), our data "
            "showed that the proposed method improves recall on {} benchmark corpora."
        )
        texts = [sentence.format(n) for n in range(1000)]
        sections = ["Discussion"] * len(texts)
    started = time.perf_counter()
    model = load_model()
    print(f"model {model.version} loaded in {time.perf_counter() - started:.2f}s")
    model.predict(texts[:10], sections[:10])  # warm up
    for _ in range(args.repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(texts), args.batch):
            model.predict(texts[start : start + args.batch], sections[start : start + args.batch])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{len(texts)} contexts: {len(texts) / wall:,.0f}/s wall, "
            f"{len(texts) / cpu:,.0f}/s of one core's CPU time"
        )


if __name__ == "__main__":
    main()
