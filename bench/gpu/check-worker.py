#!/usr/bin/env python3
"""Check sextant's HuggingFace worker against direct transformers calls on the same checkpoint: greedy texts,
stop-word cuts, left truncation, OpenCompass's get_ppl computed by hand, loglikelihood sums, and continuous batching.

usage: check-worker.py CKPT --data DATA_DIR/ceval --out RESULT.json
"""
import argparse
import csv
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, "..", "..", "python", "sextant_hf_worker.py")
sys.path.insert(0, HERE)
from hf_worker_client import WorkerClient  # noqa: E402


def questions(data_dir, count):
    rows = []
    for name in sorted(os.listdir(os.path.join(data_dir, "val"))):
        with open(os.path.join(data_dir, "val", name), encoding="utf-8", newline="") as handle:
            for row in list(csv.DictReader(handle))[:2]:
                rows.append(row)
        if len(rows) >= count:
            break
    return rows[:count]


def fewshot_chats(data_dir, subjects, per_subject):
    """C-Eval 5-shot chats as ceval_gen sends them (five dev question/answer turns, then the question): prompts of one
    subject share ~1,000 tokens, which is what prefix-shared generation computes once."""
    chats = []
    for name in sorted(os.listdir(os.path.join(data_dir, "val")))[:subjects]:
        subject = name.replace("_val.csv", "")
        with open(os.path.join(data_dir, "dev", f"{subject}_dev.csv"), encoding="utf-8", newline="") as handle:
            examples = list(csv.DictReader(handle))[:5]
        with open(os.path.join(data_dir, "val", name), encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))[:per_subject]
        shots = []
        for example in examples:
            shots += [{"role": "user", "content": question_text(example)}, {"role": "assistant", "content": example["answer"]}]
        chats += [shots + [{"role": "user", "content": question_text(row)}] for row in rows]
    return chats


def question_text(row):
    return f"{row['question']}\nA. {row['A']}\nB. {row['B']}\nC. {row['C']}\nD. {row['D']}\n答案: "


class Direct:
    """OpenCompass's HuggingFacewithChatTemplate / HuggingFaceBaseModel, written out against transformers."""

    def __init__(self, path, dtype="bfloat16"):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
        self.torch = torch
        self.tok = AutoTokenizer.from_pretrained(path, padding_side="left", truncation_side="left")
        self.model = AutoModelForCausalLM.from_pretrained(path, dtype=getattr(torch, dtype), device_map="auto").eval()
        eos = self.model.generation_config.eos_token_id
        eos = eos if isinstance(eos, list) else [eos]
        self.eos_words = {self.tok.decode(i) for i in eos} | {self.tok.eos_token}

    def generate(self, messages_list, max_out_len, stop_words, max_seq_len):
        torch, tok = self.torch, self.tok
        texts = [tok.apply_chat_template(m, add_generation_prompt=True, tokenize=False) for m in messages_list]
        enc = tok(texts, return_tensors="pt", padding=True, truncation=True, add_special_tokens=False, max_length=max_seq_len).to("cuda")
        words = sorted(set(stop_words) | self.eos_words)
        width = enc["input_ids"].shape[1]
        done = [False] * len(texts)
        from transformers import StoppingCriteria, StoppingCriteriaList

        class Stop(StoppingCriteria):
            def __call__(self, input_ids, scores, **kwargs):
                for word in words:
                    look = len(tok.encode(word, add_special_tokens=False)) + 2
                    for row, tail in enumerate(tok.batch_decode(input_ids[:, width:][:, -look:])):
                        if word in tail:
                            done[row] = True
                return torch.full((input_ids.shape[0],), all(done), dtype=torch.bool, device=input_ids.device)

        with torch.inference_mode():
            out = self.model.generate(**enc, max_new_tokens=max_out_len, pad_token_id=tok.pad_token_id, do_sample=False,
                                      stopping_criteria=StoppingCriteriaList([Stop()]))
        decoded = tok.batch_decode(out[:, width:], skip_special_tokens=False)
        results = []
        for text in decoded:
            for word in words:
                text = text.split(word)[0]
            results.append(text)
        return results, enc["attention_mask"].sum(-1).tolist()

    def ppl_padded(self, texts, max_seq_len=4096):
        """get_ppl by hand: log_softmax over the padded batch, NLL of tokens 2..L summed, over the non-pad count."""
        torch, tok = self.torch, self.tok
        enc = tok(texts, return_tensors="pt", padding=True, truncation=True, add_special_tokens=True, max_length=max_seq_len).to("cuda")
        with torch.inference_mode():
            logits = self.model(**enc).logits.float()
        logprobs = torch.log_softmax(logits[:, :-1], dim=-1)
        ids = enc["input_ids"]
        values = []
        for row in range(ids.shape[0]):
            nll = 0.0
            count = int((ids[row] != tok.pad_token_id).sum())
            for position in range(1, ids.shape[1]):
                token = int(ids[row, position])
                if token == tok.pad_token_id:
                    continue
                nll -= float(logprobs[row, position - 1, token])
            values.append(nll / count)
        return values

    def ppl_single(self, text):
        return self.ppl_padded([text])[0]

    def loglikelihood(self, context, continuation):
        torch, tok = self.torch, self.tok
        whole = tok(context + continuation)["input_ids"]
        split = len(tok(context)["input_ids"])
        ids = torch.tensor([whole], device="cuda")
        with torch.inference_mode():
            logprobs = torch.log_softmax(self.model(input_ids=ids).logits.float()[0], dim=-1)
        total, greedy = 0.0, True
        for position in range(split, len(whole)):
            total += float(logprobs[position - 1, whole[position]])
            greedy = greedy and int(logprobs[position - 1].argmax()) == whole[position]
        return total, greedy, len(whole) - split


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ckpt")
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--max-out-len", type=int, default=24)
    parser.add_argument("--dtype", default="bfloat16")
    args = parser.parse_args()
    started = time.time()
    rows = questions(args.data, 16)
    chats = [[{"role": "user", "content": question_text(row) + "\n"}] for row in rows]
    report = {}

    env = dict(os.environ)
    worker = WorkerClient(WORKER, {"path": args.ckpt, "hfType": "chat", "modelKwargs": {"torch_dtype": args.dtype}}, env)
    short = WorkerClient(WORKER, {"path": args.ckpt, "hfType": "chat", "modelKwargs": {"torch_dtype": args.dtype}, "maxSeqLen": 64}, env)
    report["hello"] = worker.hello
    report["loaded"] = worker.info
    direct = Direct(args.ckpt, args.dtype)

    def gen(client, prompts, stop_words=(), batching="static", prefix_reuse=False):
        return client.call({"type": "generate", "batching": batching, "prefixReuse": prefix_reuse, "maxOutLen": args.max_out_len,
                            "stopWords": list(stop_words), "prompts": [{"messages": m} for m in prompts]})

    # 0. prefix-shared generation (prefixReuse): 5-shot prompts of 3 subjects in one batch of 24, against the worker's
    # static batch and direct transformers; with a stop word; and a batch that shares nothing (falls back to static)
    fewshot = fewshot_chats(args.data, 3, 8)
    shared = gen(worker, fewshot, prefix_reuse=True)
    static_few = gen(worker, fewshot)
    direct_few, direct_counts = direct.generate(fewshot, args.max_out_len, [], 4096)
    stop_few = next((t[2:4] for t in direct_few if len(t) > 5), "答案")
    shared_cut = gen(worker, fewshot, [stop_few], prefix_reuse=True)
    direct_cut_few = direct.generate(fewshot, args.max_out_len, [stop_few], 4096)[0]
    report["prefixShared"] = {
        "prompts": len(fewshot),
        "equalToWorkerStatic": sum(a["text"] == b["text"] for a, b in zip(shared, static_few)),
        "equalToDirect": sum(a["text"] == b for a, b in zip(shared, direct_few)),
        "workerStaticEqualToDirect": sum(a["text"] == b for a, b in zip(static_few, direct_few)),
        "promptTokensEqual": [o["promptTokens"] for o in shared] == [int(c) for c in direct_counts],
        "prefixTokens": [o.get("prefixTokens") for o in shared],
        "stopWord": stop_few,
        "cutEqualToDirect": sum(a["text"] == b for a, b in zip(shared_cut, direct_cut_few)),
        "finishReasons": sorted({o["finishReason"] for o in shared}),
        "example": {"prefixShared": shared[0]["text"], "direct": direct_few[0]},
    }

    # 1. greedy texts, two static batches of 8
    worker_texts, direct_texts = [], []
    for start in (0, 8):
        batch = chats[start:start + 8]
        worker_texts += [o["text"] for o in gen(worker, batch)]
        direct_texts += direct.generate(batch, args.max_out_len, [], 4096)[0]
    report["greedy"] = {"equal": sum(a == b for a, b in zip(worker_texts, direct_texts)), "of": len(direct_texts), "example": direct_texts[0]}
    # Determinism probes: the same batch twice in one process, directly and through the worker.
    again = direct.generate(chats[:8], args.max_out_len, [], 4096)[0]
    worker_again = [o["text"] for o in gen(worker, chats[:8])]
    report["repeatability"] = {"directTwiceEqual": sum(a == b for a, b in zip(again, direct_texts[:8])),
                               "workerTwiceEqual": sum(a == b for a, b in zip(worker_again, worker_texts[:8])), "of": 8}

    # 2. stop-word cut: a stop word taken from the middle of the first text
    stop = next((t[3:5] for t in direct_texts if len(t) > 6), "答案")
    worker_cut = [o["text"] for o in gen(worker, chats[:8], [stop])]
    direct_cut = direct.generate(chats[:8], args.max_out_len, [stop], 4096)[0]
    report["stopWords"] = {"stopWord": stop, "equal": sum(a == b for a, b in zip(worker_cut, direct_cut)), "of": 8,
                           "cutRows": sum(stop in t for t in direct_texts[:8]),
                           "prefixOfUncut": all(t.startswith(c) for t, c in zip(direct_texts[:8], worker_cut)),
                           "workerCutEqualsWorkerUncutCut": sum(c == t.split(stop)[0] for t, c in zip(worker_texts[:8], worker_cut))}

    # 3. left truncation to max_seq_len 64
    worker_short = gen(short, chats[:8])
    direct_short, counts = direct.generate(chats[:8], args.max_out_len, [], 64)
    report["leftTruncation"] = {"equal": sum(a["text"] == b for a, b in zip(worker_short, direct_short)), "of": 8,
                                "promptTokens": [o["promptTokens"] for o in worker_short], "directPromptTokens": counts}

    # 4. PPL: 4 questions x 4 candidates, static (OpenCompass batches) and prefix reuse, against the hand formula
    groups = [{"candidates": [{"text": question_text(row) + "\n" + label, "suffix": "\n" + label} for label in "ABCD"]} for row in rows[:4]]
    static = worker.call({"type": "perplexity", "prefixReuse": False, "groups": groups})
    reuse = worker.call({"type": "perplexity", "prefixReuse": True, "groups": groups})
    hand_padded = [direct.ppl_padded([g["candidates"][label]["text"] for g in groups]) for label in range(4)]
    hand_single = [[direct.ppl_single(c["text"]) for c in g["candidates"]] for g in groups]
    static_diff = max(abs(static[q]["scores"][label]["ppl"] - hand_padded[label][q]) for q in range(4) for label in range(4))
    reuse_diff = max(abs(reuse[q]["scores"][label]["ppl"] - hand_single[q][label]) for q in range(4) for label in range(4))
    argmin = lambda values: min(range(len(values)), key=lambda i: values[i])  # noqa: E731
    report["perplexity"] = {
        "staticVsHandPaddedMaxAbsDiff": static_diff,
        "prefixReuseVsHandUnpaddedMaxAbsDiff": reuse_diff,
        "staticVsHandUnpaddedMaxAbsDiff": max(abs(static[q]["scores"][l]["ppl"] - hand_single[q][l]) for q in range(4) for l in range(4)),
        "argminAgree": sum(argmin([s["ppl"] for s in reuse[q]["scores"]]) == argmin([s["ppl"] for s in static[q]["scores"]]) for q in range(4)),
        "tokenCounts": [s["tokenCount"] for s in static[0]["scores"]],
        "evaluatedTokens": {"static": sum(g["evaluatedTokens"] for g in static), "prefixReuse": sum(g["evaluatedTokens"] for g in reuse)},
        "example": {"static": static[0]["scores"][0]["ppl"], "hand": hand_padded[0][0]},
    }

    # 5. loglikelihood sums
    pairs = [(question_text(row), row["answer"]) for row in rows[:8]]
    worker_ll = worker.call({"type": "loglikelihood", "requests": [{"context": c, "continuation": x} for c, x in pairs]})
    hand_ll = [direct.loglikelihood(c, x) for c, x in pairs]
    report["loglikelihood"] = {"maxAbsDiff": max(abs(w["logprob"] - h[0]) for w, h in zip(worker_ll, hand_ll)),
                               "greedyAgree": sum(w["isGreedy"] == h[1] for w, h in zip(worker_ll, hand_ll)),
                               "tokenCountsEqual": all(w["tokenCount"] == h[2] for w, h in zip(worker_ll, hand_ll)), "of": 8}

    # 6. continuous batching (generate_batch) against static texts
    try:
        cont = [o["text"] for o in gen(worker, chats, batching="continuous")]
        report["continuous"] = {"equalToStatic": sum(a == b for a, b in zip(cont, direct_texts)), "of": len(chats)}
    except Exception as error:  # noqa: BLE001
        report["continuous"] = {"error": str(error)}

    worker.close()
    short.close()
    report["seconds"] = round(time.time() - started, 1)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(report, handle, ensure_ascii=False, indent=2)
    print(json.dumps({k: v for k, v in report.items() if k not in ("hello", "loaded")}, ensure_ascii=False))


if __name__ == "__main__":
    main()
