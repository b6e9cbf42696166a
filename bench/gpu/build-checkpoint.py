#!/usr/bin/env python3
"""Build a real transformers checkpoint for the GPU checks: a byte-level BPE tokenizer trained with `tokenizers` on
C-Eval's own text (with a ChatML chat template, as InternLM2-Chat's), and a randomly initialised Llama-architecture
model of Llama-2-7B's shape (hidden 4096, 32 layers, 32 heads, MLP 11008) in bfloat16, saved with save_pretrained.
Smaller shapes and float32 (for exact comparisons: no bf16 near-ties) with the options below.

usage: build-checkpoint.py OUT_DIR --data DATA_DIR/ceval [--layers 32] [--hidden 4096] [--heads 32] [--intermediate 11008]
                           [--dtype bfloat16|float32] [--seed 0]
"""
import argparse
import csv
import glob
import json
import os
import time

CHAT_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
SPECIAL = ["<unk>", "<s>", "</s>", "<pad>", "<|im_start|>", "<|im_end|>"]


def ceval_text(data_dir):
    for path in sorted(glob.glob(os.path.join(data_dir, "**", "*.csv"), recursive=True)):
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                yield "\n".join(row)


def build_tokenizer(out_dir, data_dir, vocab_size):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=False))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator(ceval_text(data_dir), trainer=trainer)
    bos = tokenizer.token_to_id("<s>")
    tokenizer.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", bos)])
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>",
                                   padding_side="left", truncation_side="left",
                                   model_max_length=4096)
    fast.chat_template = CHAT_TEMPLATE
    fast.save_pretrained(out_dir)
    return fast


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--data", required=True)
    parser.add_argument("--layers", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=4096)
    parser.add_argument("--heads", type=int, default=32)
    parser.add_argument("--intermediate", type=int, default=11008)
    parser.add_argument("--dtype", default="bfloat16", choices=["bfloat16", "float16", "float32"])
    parser.add_argument("--vocab-size", type=int, default=32000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if os.path.exists(os.path.join(args.out_dir, "model.safetensors.index.json")) or os.path.exists(os.path.join(args.out_dir, "model.safetensors")):
        print(f"checkpoint already at {args.out_dir}")
        return
    import torch
    from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM

    started = time.time()
    os.makedirs(args.out_dir, exist_ok=True)
    tokenizer = build_tokenizer(args.out_dir, args.data, args.vocab_size)
    vocab = ((len(tokenizer) + 63) // 64) * 64
    im_end = tokenizer.convert_tokens_to_ids("<|im_end|>")
    config = LlamaConfig(vocab_size=vocab, hidden_size=args.hidden, intermediate_size=args.intermediate, num_hidden_layers=args.layers,
                         num_attention_heads=args.heads, num_key_value_heads=args.heads, max_position_embeddings=4096, rms_norm_eps=1e-5,
                         bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
                         tie_word_embeddings=False, dtype=args.dtype)
    torch.manual_seed(args.seed)
    with torch.device("cuda"):
        model = LlamaForCausalLM(config).to(getattr(torch, args.dtype))
    model.generation_config = GenerationConfig(bos_token_id=tokenizer.bos_token_id, eos_token_id=[tokenizer.eos_token_id, im_end],
                                               pad_token_id=tokenizer.pad_token_id, do_sample=False)
    params = sum(p.numel() for p in model.parameters())
    model.save_pretrained(args.out_dir)
    summary = {"params": params, "vocab": vocab, "tokenizerVocab": len(tokenizer), "layers": args.layers, "hidden": args.hidden,
               "dtype": args.dtype, "seconds": round(time.time() - started, 1)}
    with open(os.path.join(args.out_dir, "sextant-build.json"), "w") as handle:
        json.dump(summary, handle)
    print("built", json.dumps(summary))


if __name__ == "__main__":
    main()
