#!/usr/bin/env python3
"""Time the HuggingFace worker alone (no sextant, no Node) on C-Eval 5-shot chat batches: the same batches run as
OpenCompass's static padded batches and with prefix sharing (prefixReuse), alternating, after one warm-up batch.
The worker's own trace (SEXTANT_HF_TRACE) gives each batch's phases (prefixes, tails, decode) and peak GPU memory.

usage: time-batches.py CKPT --data DATA_DIR/ceval --out RESULT.json [--batch-size 64] [--batches 6] [--dtype bfloat16]
"""
import argparse
import importlib.util
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, "..", "..", "python", "sextant_hf_worker.py")
sys.path.insert(0, HERE)
from hf_worker_client import WorkerClient  # noqa: E402

spec = importlib.util.spec_from_file_location("check_worker", os.path.join(HERE, "check-worker.py"))
check_worker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_worker)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ckpt")
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--max-out-len", type=int, default=16)
    parser.add_argument("--dtype", default="bfloat16")
    args = parser.parse_args()
    chats = check_worker.fewshot_chats(args.data, 52, 1000)
    trace = args.out + ".trace.jsonl"
    if os.path.exists(trace):
        os.remove(trace)
    env = dict(os.environ, SEXTANT_HF_TRACE=trace)
    started = time.time()
    worker = WorkerClient(WORKER, {"path": args.ckpt, "hfType": "chat", "modelKwargs": {"torch_dtype": args.dtype}}, env)
    loaded = time.time()

    def run(batch, prefix_reuse):
        begin = time.time()
        outputs = worker.call({"type": "generate", "batching": "static", "prefixReuse": prefix_reuse, "maxOutLen": args.max_out_len,
                               "stopWords": [], "prompts": [{"messages": m} for m in batch]})
        return time.time() - begin, outputs

    size = args.batch_size
    run(chats[:size], False)  # warm-up
    rows = []
    for index in range(1, args.batches + 1):
        batch = chats[index * size:(index + 1) * size]
        if len(batch) < size:
            break
        static_seconds, static_out = run(batch, False)
        prefix_seconds, prefix_out = run(batch, True)
        rows.append({"batch": index, "staticSeconds": round(static_seconds, 3), "prefixSeconds": round(prefix_seconds, 3),
                     "equalTexts": sum(a["text"] == b["text"] for a, b in zip(static_out, prefix_out)),
                     "promptTokens": sum(o["promptTokens"] for o in static_out),
                     "prefixTokens": sorted({o.get("prefixTokens") for o in prefix_out if o.get("prefixTokens")})})
    worker.close()
    with open(trace, encoding="utf-8") as handle:
        traced = [json.loads(line) for line in handle if line.strip()]
    phases = [{key: entry.get(key) for key in ("prefixShared", "size", "seconds", "phases", "peakMemoryMiB")} for entry in traced]
    result = {"batchSize": size, "dtype": args.dtype, "loadSeconds": round(loaded - started, 1), "batches": rows,
              "staticTotal": round(sum(r["staticSeconds"] for r in rows), 2), "prefixTotal": round(sum(r["prefixSeconds"] for r in rows), 2),
              "workerPhases": phases}
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=2)
    print(json.dumps({k: v for k, v in result.items() if k != "workerPhases"}, ensure_ascii=False))
    for entry in phases:
        print(json.dumps(entry))


if __name__ == "__main__":
    main()
