// The real worker's torch-free helpers (python/sextant_hf_worker.py), run in python3: how a batch's prompts are
// grouped for prefix-shared generation, and the KV-cache adapter the grouping relies on. The model paths themselves
// need torch and a GPU: bench/gpu/check-worker.py checks them against direct transformers calls there.
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { defaultWorkerScript } from './huggingface-backend.js';

function python(body: string): unknown {
  const script = [
    'import importlib.util, json, sys',
    `spec = importlib.util.spec_from_file_location("worker", ${JSON.stringify(defaultWorkerScript)})`,
    'worker = importlib.util.module_from_spec(spec); spec.loader.exec_module(worker)',
    body,
  ].join('\n');
  // the worker moves print() to stderr at import and keeps the real stdout for its protocol: answer through send()
  return JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' }));
}

it('groups rows by shared token prefix: groups save the most tokens, share ≥ 32 each; long loners get their own', () => {
  const header = Array.from({ length: 40 }, (_, index) => 1000 + index);
  const subjectA = [...header, ...Array.from({ length: 200 }, (_, index) => 2000 + index)];
  const subjectB = [...header.slice(0, 10), ...Array.from({ length: 100 }, (_, index) => 3000 + index)];
  const rows = [
    [...subjectA, 1, 2, 3], // 0: subject A
    [...subjectB, 7, 8], // 1: subject B
    [...subjectA, 4, 5], // 2: subject A
    [...header.slice(0, 10), 9, 9], // 3: short, shares only 10 tokens: in no group
    [...subjectB, 6], // 4: subject B
    [...subjectA.slice(0, 60), 5], // 5: shares 60 of A's 240 tokens: joining A would save less than A alone; too short alone
    Array.from({ length: 300 }, (_, index) => 5000 + index), // 6: alone but long: its own prefix (299 tokens)
    [...subjectB], // 7: subject B, a prefix of rows 1 and 4: the shared length stops one token short of it
  ];
  const groups = python(`worker.send(worker.prefix_groups(${JSON.stringify(rows)}, 32, 256))`) as Array<[number[], number]>;
  const normalised = groups.map(([members, shared]) => [[...members].sort((a, b) => a - b), shared]);
  expect(normalised).toContainEqual([[0, 2], subjectA.length]);
  expect(normalised).toContainEqual([[1, 4, 7], subjectB.length - 1]);
  expect(normalised).toContainEqual([[6], 299]);
  expect(normalised).toHaveLength(3);
  const grouped = normalised.flatMap(([members]) => members as number[]);
  expect(grouped).not.toContain(3);
  expect(grouped).not.toContain(5);
});

it('reaches the keys and values of both cache layouts (layers of keys/values; key_cache/value_cache lists) and refuses others', () => {
  const result = python(`
class Layer:
    def __init__(self, k, v): self.keys, self.values = k, v
class Layered:
    def __init__(self): self.layers = [Layer("k0", "v0"), Layer("k1", "v1")]
class Lists:
    def __init__(self): self.key_cache, self.value_cache = ["k0"], ["v0"]
out = {}
for name, cache in (("layers", Layered()), ("lists", Lists())):
    count, get, put = worker.cache_access(cache)
    put(0, "K", "V")
    out[name] = [count, list(get(0)), list(get(count - 1))]
out["other"] = worker.cache_access(object())
worker.send(out)`);
  expect(result).toEqual({ layers: [2, ['K', 'V'], ['k1', 'v1']], lists: [1, ['K', 'V'], ['K', 'V']], other: null });
});

it("counts tokens as OpenCompass's get_token_len: base with BOS, chat as one user turn through the chat template", () => {
  const result = python(`
class Tokenizer:
    def apply_chat_template(self, messages, add_generation_prompt, tokenize):
        assert not tokenize and add_generation_prompt
        return "".join(f"<|user|>{m['content']}" for m in messages) + "<|assistant|>"
    def __call__(self, text, add_special_tokens):
        ids = [ord(ch) for ch in text.replace("<|user|>", "U").replace("<|assistant|>", "A")]
        return {"input_ids": ([1] if add_special_tokens else []) + ids}
class Fake:
    tokenizer = Tokenizer()
chat, base = Fake(), Fake()
chat.hf_type, base.hf_type = "chat", "base"
worker.send({"chat": worker.Worker.count_tokens(chat, ["abc", ""]), "base": worker.Worker.count_tokens(base, ["abc", ""])})`);
  expect(result).toEqual({ chat: [5, 2], base: [4, 1] });
});

it('turns a padded batch of new tokens into outputs: trailing pads not counted, text cut at the stop words', () => {
  const result = python(`
class Row(list):
    def tolist(self): return list(self)
class Tokenizer:
    def batch_decode(self, rows, skip_special_tokens):
        return ["".join({0: "<pad>", 5: "A", 6: "<|im_end|>", 7: "B"}[t] for t in row) for row in rows]
class Fake:
    tokenizer = Tokenizer()
    pad_token_id = 0
    _output = worker.Worker._output
rows = [Row([5, 6, 0, 0]), Row([7, 7, 7, 7])]
outputs = worker.Worker._batch_outputs(Fake(), rows, True, ["<|im_end|>"], [11, 12], 4)
worker.send([{k: o[k] for k in ("text", "raw", "promptTokens", "completionTokens", "finishReason", "_tokenIds")} for o in outputs])`);
  expect(result).toEqual([
    { text: 'A', raw: 'A<|im_end|><pad><pad>', promptTokens: 11, completionTokens: 2, finishReason: 'stop', _tokenIds: [5, 6] },
    { text: 'BBBB', raw: 'BBBB', promptTokens: 12, completionTokens: 4, finishReason: 'length', _tokenIds: [7, 7, 7, 7] },
  ]);
});
