#!/usr/bin/env python3
"""A deterministic stand-in for python/sextant_hf_worker.py: the same protocol (sextant-hf-worker v1), no torch.

Used where transformers on a GPU cannot run (CI). Behaviour, all deterministic:
- generate: the answer letter is "ABCD"[sum of the prompt's code points % 4]; the raw text is
  "<letter> is the answer<|im_end|>ignored", cut at the request's stop words and the eos stop words.
- a prompt containing "__crash__" kills the worker with SIGSEGV (after a line on stderr);
  "__oom__" in a batch of more than one prompt answers a CUDA out-of-memory error.
- SEXTANT_HF_STANDIN_LOG: every message is appended there as a JSON line {pid, type, size, gpus, ...}.
"""
import json
import os
import signal
import sys

EOS_STOP_WORDS = ["</s>", "<|im_end|>"]
LOG = os.environ.get("SEXTANT_HF_STANDIN_LOG")


def send(message):
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def log(entry):
    if LOG:
        with open(LOG, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"pid": os.getpid(), "gpus": os.environ.get("CUDA_VISIBLE_DEVICES"), **entry}) + "\n")


def letter(text):
    return "ABCD"[sum(ord(ch) for ch in text) % 4]


def content(prompt):
    if prompt.get("messages") is not None:
        return "\n".join(m["role"] + ":" + m["content"] for m in prompt["messages"])
    return prompt["text"]


def main():
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    gpus = [{"index": i, "name": "Stand-in GPU", "memoryMiB": 1024} for i, _ in enumerate((visible or "").split(",")) if visible]
    send({"type": "hello", "protocol": int(os.environ.get("SEXTANT_HF_STANDIN_PROTOCOL", "1")), "pid": os.getpid(),
          "python": sys.version.split()[0], "pythonExecutable": sys.executable, "torch": "stand-in",
          "transformers": "stand-in", "cuda": None, "cudaVisibleDevices": visible, "gpus": gpus})
    settings = None
    for line in sys.stdin:
        message = json.loads(line)
        kind, request_id = message["type"], message.get("id")
        if kind == "shutdown":
            return 0
        if kind == "load":
            settings = message["settings"]
            log({"type": "load", "settings": settings})
            path = settings["path"]
            if not os.path.isdir(path):
                send({"type": "error", "id": request_id, "error": {"kind": "not-in-cache", "message":
                      f"model {path} is not a folder and not in the local HuggingFace cache; download it with: hf download {path}"}})
                continue
            if not os.path.exists(os.path.join(path, "config.json")):
                send({"type": "error", "id": request_id, "error": {"kind": "load", "message": f"{path} has no config.json"}})
                continue
            send({"type": "loaded", "id": request_id, "info": {"maxSeqLen": settings.get("maxSeqLen") or 4096,
                  "eosStopWords": EOS_STOP_WORDS, "eosTokenIds": [2], "padTokenId": 0, "hasChatTemplate": True,
                  "dtype": (settings.get("modelKwargs") or {}).get("torch_dtype", "bfloat16"), "device": "cuda:0" if gpus else "cpu"}})
            continue
        if kind == "generate":
            prompts = message["prompts"]
            log({"type": "generate", "size": len(prompts), "batching": message.get("batching"), "prefixReuse": message.get("prefixReuse"),
                 "maxOutLen": message.get("maxOutLen"), "stopWords": message.get("stopWords"),
                 "generationKwargs": message.get("generationKwargs")})
            texts = [content(p) for p in prompts]
            if any("__crash__" in t for t in texts):
                sys.stderr.write("Fatal Python error: Segmentation fault (stand-in)\n")
                sys.stderr.flush()
                os.kill(os.getpid(), signal.SIGSEGV)
            if len(prompts) > 1 and any("__oom__" in t for t in texts):
                send({"type": "error", "id": request_id, "error": {"kind": "oom", "message":
                      "OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (stand-in)"}})
                continue
            stop_words = sorted(set(message.get("stopWords") or []) | set(EOS_STOP_WORDS))
            max_seq_len = settings.get("maxSeqLen") or 4096
            outputs = []
            for text in texts:
                raw = f"{letter(text)} is the answer<|im_end|>ignored"
                cut = raw
                for word in stop_words:
                    cut = cut.split(word)[0]
                outputs.append({"text": cut, "raw": raw, "promptTokens": min(len(text), max_seq_len),
                                "completionTokens": 5, "finishReason": "stop"})
            send({"type": "result", "id": request_id, "outputs": outputs})
            continue
        if kind == "loglikelihood":
            requests = message["requests"]
            log({"type": "loglikelihood", "size": len(requests)})
            send({"type": "result", "id": request_id, "outputs": [
                {"logprob": -0.5 * len(r["continuation"]), "isGreedy": r["continuation"].strip() == letter(r["context"]),
                 "tokenCount": len(r["continuation"])} for r in requests]})
            continue
        if kind == "tokenize":
            texts = message["texts"]
            log({"type": "tokenize", "size": len(texts)})
            # one token per character, plus BOS (base) or the chat template's 5 (chat)
            extra = 5 if settings.get("hfType") == "chat" else 1
            send({"type": "result", "id": request_id, "outputs": [len(text) + extra for text in texts]})
            continue
        if kind == "perplexity":
            groups = message["groups"]
            log({"type": "perplexity", "size": len(groups), "prefixReuse": message.get("prefixReuse")})
            outputs = []
            for group in groups:
                scores = []
                for candidate in group["candidates"]:
                    text = candidate["text"]
                    scores.append({"ppl": 1 + (sum(ord(ch) for ch in text) % 97) / 100, "tokenCount": len(text),
                                   "suffixTokenCount": len(candidate["suffix"])})
                outputs.append({"scores": scores, "evaluatedTokens": sum(len(c["text"]) for c in group["candidates"])})
            send({"type": "result", "id": request_id, "outputs": outputs})
            continue
        send({"type": "error", "id": request_id, "error": {"kind": "bad-request", "message": f"unknown type {kind}"}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
