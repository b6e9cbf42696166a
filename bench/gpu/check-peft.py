#!/usr/bin/env python3
"""Check the worker's PEFT adapter loading and token counting against direct transformers + peft calls: a LoRA
adapter with random (non-zero) weights is made over the checkpoint with peft, then greedy texts through the worker
(`peftPath`) are compared with `PeftModel.from_pretrained` directly, and with the base model alone (the adapter must
change them); and the worker's `tokenize` counts with `get_token_len` by hand, chat and base.

usage: check-peft.py CKPT --data DATA_DIR/ceval --adapter ADAPTER_DIR --out RESULT.json [--dtype float32]
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


def make_adapter(ckpt, adapter, dtype):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM
    if os.path.exists(os.path.join(adapter, "adapter_config.json")):
        return
    torch.manual_seed(1)
    base = AutoModelForCausalLM.from_pretrained(ckpt, dtype=getattr(torch, dtype))
    config = LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"], init_lora_weights=False, task_type="CAUSAL_LM")
    get_peft_model(base, config).save_pretrained(adapter)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ckpt")
    parser.add_argument("--data", required=True)
    parser.add_argument("--adapter", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--dtype", default="float32")
    parser.add_argument("--max-out-len", type=int, default=16)
    args = parser.parse_args()
    started = time.time()
    make_adapter(args.ckpt, args.adapter, args.dtype)
    chats = check_worker.fewshot_chats(args.data, 1, 8)
    message = {"type": "generate", "batching": "static", "maxOutLen": args.max_out_len, "stopWords": [],
               "prompts": [{"messages": m} for m in chats]}
    report = {}

    worker = WorkerClient(WORKER, {"path": args.ckpt, "hfType": "chat", "modelKwargs": {"torch_dtype": args.dtype},
                                   "peftPath": args.adapter}, dict(os.environ))
    adapted = [o["text"] for o in worker.call(message)]
    texts = ["abc", check_worker.question_text(check_worker.questions(args.data, 1)[0])]
    chat_counts = worker.call({"type": "tokenize", "texts": texts})
    worker.close()
    base_worker = WorkerClient(WORKER, {"path": args.ckpt, "hfType": "base", "modelKwargs": {"torch_dtype": args.dtype}}, dict(os.environ))
    base_counts = base_worker.call({"type": "tokenize", "texts": texts})
    base_worker.close()

    from peft import PeftModel
    direct = check_worker.Direct(args.ckpt, args.dtype)
    plain = direct.generate(chats, args.max_out_len, [], 4096)[0]
    direct.model = PeftModel.from_pretrained(direct.model, args.adapter, is_trainable=False).eval()
    with_adapter = direct.generate(chats, args.max_out_len, [], 4096)[0]
    tok = direct.tok
    hand_chat = [len(tok(tok.apply_chat_template([{"role": "user", "content": t}], add_generation_prompt=True, tokenize=False),
                         add_special_tokens=False)["input_ids"]) for t in texts]
    hand_base = [len(tok(t, add_special_tokens=True)["input_ids"]) for t in texts]
    report["peft"] = {"prompts": len(chats), "workerEqualsDirectPeft": sum(a == b for a, b in zip(adapted, with_adapter)),
                      "directPeftDiffersFromBase": sum(a != b for a, b in zip(with_adapter, plain)),
                      "example": {"worker": adapted[0], "directPeft": with_adapter[0], "base": plain[0]}}
    report["tokenize"] = {"chat": chat_counts, "chatByHand": hand_chat, "base": base_counts, "baseByHand": hand_base,
                          "equal": chat_counts == hand_chat and base_counts == hand_base}
    report["seconds"] = round(time.time() - started, 1)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(report, handle, ensure_ascii=False, indent=2)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
