#!/usr/bin/env python3
"""Markdown tables from run.sh's results.jsonl: per model, phase, precision, layout and batch the toolkit (gpubench)
and PyTorch (peer.py) rates, their ratio (the issue's target is >= 0.9) and peak memory; then transfers, batch ops,
multigrid shapes, and every skipped or failed step. Parameter counts of the two sides must agree: a row where they do
not is marked. Standard library only.   usage: summarize.py results.jsonl"""
import json
import sys


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    env = [r for r in rows if r.get("bench") == "env"]
    print("# GPU benchmark\n")
    for r in env:
        side = r.get("framework", "torchsharp")
        print(f"- {side}: " + ", ".join(f"{k} {v}" for k, v in r.items() if k not in ("bench", "framework", "libraries")))
        if r.get("libraries"):
            print(f"  - libraries bound: {', '.join(r['libraries'])}")
    models = {}
    for r in rows:
        if r.get("bench") == "model" and "it_per_s" in r:
            key = (r["model"], r["phase"], r["precision"], r["layout"], r["batch"])
            models.setdefault(key, {})[r["framework"]] = r
    print("\n## Models (it/s; peak memory MiB)\n")
    print("| model | phase | precision | layout | shape | toolkit it/s | PyTorch it/s | toolkit / PyTorch | toolkit peak | PyTorch peak (allocator) | params |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for key in sorted(models):
        m = models[key]
        t, p = m.get("torchsharp"), m.get("pytorch")
        ratio = f"{t['it_per_s'] / p['it_per_s']:.2f}" if t and p and p["it_per_s"] > 0 else "–"
        params = "equal" if t and p and t["params"] == p["params"] else f"DIFFER {t and t['params']} / {p and p['params']}" if t and p else "–"
        shape = (t or p)["shape"]
        tp = f"{t['peak_mib']} ({t['memory_source']})" if t else "–"
        pp = f"{p['peak_mib']} ({p.get('allocator_peak_mib', '–')})" if p else "–"
        print(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | {shape} | {t['it_per_s'] if t else '–'} | {p['it_per_s'] if p else '–'} | {ratio} | {tp} | {pp} | {params} |")
    h2d = [r for r in rows if r.get("bench") == "h2d"]
    if h2d:
        print("\n## Host to device (uint8 batches)\n")
        for r in h2d:
            side = r.get("framework", "torchsharp")
            what = f"{r['gb_per_s']} GB/s" if "gb_per_s" in r else f"{r.get('skipped')} (pinned: {r.get('pinned')}, pin failure: {r.get('pin_failure')})"
            print(f"- {side} {r['mode']} {r['shape']}: {what}")
    aug = [r for r in rows if r.get("bench") == "augment"]
    if aug:
        print("\n## Batch ops on device tensors (toolkit)\n")
        print("| op | shape | ms / batch | clips/s |\n|---|---|---|---|")
        for r in aug:
            print(f"| {r['op']} | {r['shape']} | {r['ms_per_batch']} | {r['clips_per_s']} |")
    mg = [r for r in rows if r.get("bench") == "multigrid"]
    if mg:
        print("\n## Multigrid shapes (toolkit, training)\n")
        print("| model | shape | iterations | first iteration s | it/s | samples/s |\n|---|---|---|---|---|---|")
        for r in mg:
            print(f"| {r['model']} ×{r['width']} | {r['shape']} | {r['iters']} | {r['first_iter_s']} | {r['it_per_s']} | {r['samples_per_s']} |")
    problems = [r for r in rows if "skipped" in r and r.get("bench") != "h2d" or "failed" in r]
    if problems:
        print("\n## Skipped or failed\n")
        for r in problems:
            print(f"- {r['bench']}: {r.get('failed') or r.get('skipped')}")


if __name__ == "__main__":
    main(sys.argv[1])
