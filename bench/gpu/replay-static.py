#!/usr/bin/env python3
"""Replay, with direct transformers calls, every generate batch a sextant static run sent to its worker
(SEXTANT_HF_TRACE), as OpenCompass's HuggingFacewithChatTemplate.generate runs a batch: padded batches of 8 with
its stopping criterion. Times the replay (OpenCompass-style static batching on the same prompts and batches) and
counts the texts equal to sextant's.

usage: replay-static.py CKPT TRACE.jsonl --out RESULT.json
"""
import argparse
import importlib.util
import json
import os
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("check_worker", os.path.join(HERE, "check-worker.py"))
check_worker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_worker)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ckpt")
    parser.add_argument("trace")
    parser.add_argument("--out", required=True)
    parser.add_argument("--dtype", default="bfloat16")
    parser.add_argument("--teacher-forced-only", action="store_true",
                        help="only check that every token sextant generated is the greedy choice of one forward pass over the batch")
    args = parser.parse_args()
    with open(args.trace, encoding="utf-8") as handle:
        batches = [json.loads(line) for line in handle if line.strip()]
    if not args.teacher_forced_only:
        batches = [b for b in batches if b.get("batching") != "continuous"]
    else:  # continuous calls hand over hundreds of prompts: check them in padded groups of 8
        batches = [{"prompts": b["prompts"][i:i + 8], "tokenIds": b["tokenIds"][i:i + 8], "batching": b.get("batching")}
                   for b in batches for i in range(0, len(b["prompts"]), 8)]
    load_started = time.time()
    direct = check_worker.Direct(args.ckpt, args.dtype)
    import torch
    torch.cuda.synchronize()
    loaded = time.time()
    if args.teacher_forced_only:
        result = teacher_forced(direct, batches)
        result["loadSeconds"] = round(loaded - load_started, 1)
        result["seconds"] = round(time.time() - loaded, 1)
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump(result, handle, ensure_ascii=False, indent=2)
        print(json.dumps(result, ensure_ascii=False))
        return
    equal, total, mismatches = 0, 0, []
    for batch in batches:
        messages = [p["messages"] for p in batch["prompts"]]
        texts, _ = direct.generate(messages, batch["maxOutLen"], batch["stopWords"], 4096)
        for index, (mine, theirs) in enumerate(zip(texts, batch["texts"])):
            total += 1
            if mine == theirs:
                equal += 1
            elif len(mismatches) < 5:
                mismatches.append({"direct": mine, "sextant": theirs})
    torch.cuda.synchronize()
    finished = time.time()
    result = {"dtype": args.dtype, "prefixSharedBatches": sum(bool(b.get("prefixShared")) for b in batches), "batches": len(batches), "batchSizes": sorted({len(b["prompts"]) for b in batches}), "prompts": total, "equal": equal,
              "mismatches": mismatches, "loadSeconds": round(loaded - load_started, 1), "generateSeconds": round(finished - loaded, 1)}
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=2)
    print(json.dumps(result, ensure_ascii=False))


def teacher_forced(direct, batches):
    """For each traced batch: the same padded prompt batch plus the tokens sextant generated, one forward pass with
    generate's position ids; at every generated position, the gap between the largest logit and the logit of the token
    sextant chose (0 when it is the argmax). bf16 logits: a gap of one or two bf16 steps is a numerical near-tie."""
    import torch
    tok, model = direct.tok, direct.model
    positions = exact = 0
    gaps = []
    worst = None
    for batch in batches:
        texts = [tok.apply_chat_template(p["messages"], add_generation_prompt=True, tokenize=False) for p in batch["prompts"]]
        enc = tok(texts, return_tensors="pt", padding=True, truncation=True, add_special_tokens=False, max_length=4096)
        width = enc["input_ids"].shape[1]
        longest = max(len(ids) for ids in batch["tokenIds"])
        if longest == 0:
            continue
        rows = len(texts)
        gen = torch.full((rows, longest), tok.pad_token_id, dtype=torch.long)
        gen_mask = torch.zeros((rows, longest), dtype=torch.long)
        for row, ids in enumerate(batch["tokenIds"]):
            gen[row, :len(ids)] = torch.tensor(ids, dtype=torch.long)
            gen_mask[row, :len(ids)] = 1
        input_ids = torch.cat([enc["input_ids"], gen], dim=1).cuda()
        mask = torch.cat([enc["attention_mask"], gen_mask], dim=1).cuda()
        position_ids = (mask.cumsum(-1) - 1).clamp(min=0)
        with torch.inference_mode():
            logits = model(input_ids=input_ids, attention_mask=mask, position_ids=position_ids).logits[:, width - 1:width - 1 + longest].float()
        top = logits.max(-1).values
        for row, ids in enumerate(batch["tokenIds"]):
            for j, token in enumerate(ids):
                gap = float(top[row, j] - logits[row, j, token])
                positions += 1
                exact += gap == 0.0
                gaps.append(gap)
                if worst is None or gap > worst["gap"]:
                    worst = {"gap": gap, "logit": float(top[row, j]), "position": j}
    gaps.sort()
    pick = lambda q: gaps[min(len(gaps) - 1, int(q * len(gaps)))] if gaps else None  # noqa: E731
    return {"batches": len(batches), "generatedTokens": positions, "exactArgmax": exact, "gapP50": pick(0.5), "gapP99": pick(0.99),
            "gapMax": gaps[-1] if gaps else None, "worst": worst, "gapsOver0_125": sum(g > 0.125 for g in gaps)}


if __name__ == "__main__":
    main()
