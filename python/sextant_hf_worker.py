#!/usr/bin/env python3
"""sextant's HuggingFace worker: runs one transformers model for the `huggingface` backend.

Protocol `sextant-hf-worker` version 1 (docs/decisions/2026-12-01-huggingface-worker-protocol.md): one JSON object
per line on stdin (requests) and on stdout (replies); stderr is free text (library logs, tracebacks). The worker has
no policy: it runs each batch it is given, as given, and reports what happened. Batch sizes, retries, restarts and
GPU assignment are decided by sextant.

The model semantics follow OpenCompass's `HuggingFacewithChatTemplate` (hf_type chat) and `HuggingFaceBaseModel`
(hf_type base): left padding and left truncation to max_seq_len, greedy by default, stop words = the request's stop
words + the decoded eos ids + the tokenizer's eos token, only new tokens decoded, then cut at the stop words; PPL as
`HuggingFaceBaseModel.get_ppl` (summed NLL of tokens 2..L over the count of non-pad tokens, BOS included).
"""
import json
import os
import platform
import sys
import traceback

PROTOCOL_VERSION = 1

# stdout carries the protocol only: anything else that prints (libraries, C extensions) goes to stderr.
_protocol_out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
os.dup2(2, 1)
sys.stdout = sys.stderr


def send(message):
    _protocol_out.write(json.dumps(message, ensure_ascii=False) + "\n")
    _protocol_out.flush()


def main():
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as error:
        package = getattr(error, "name", None) or "torch"
        send({
            "type": "fatal",
            "kind": "missing-package",
            "package": package,
            "python": sys.executable,
            "message": f"{sys.executable} cannot import {package} ({error}); install it with: "
                       f"{sys.executable} -m pip install torch transformers accelerate",
        })
        return 3
    import torch
    import transformers
    gpus = []
    if torch.cuda.is_available():
        for index in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(index)
            gpus.append({"index": index, "name": props.name, "memoryMiB": props.total_memory // (1024 * 1024)})
    send({
        "type": "hello",
        "protocol": PROTOCOL_VERSION,
        "pid": os.getpid(),
        "python": platform.python_version(),
        "pythonExecutable": sys.executable,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "cuda": torch.version.cuda,
        "cudaVisibleDevices": os.environ.get("CUDA_VISIBLE_DEVICES"),
        "gpus": gpus,
    })
    worker = None
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        message = json.loads(line)
        kind = message.get("type")
        request_id = message.get("id")
        if kind == "shutdown":
            break
        try:
            if kind == "load":
                worker = Worker(message["settings"])
                send({"type": "loaded", "id": request_id, "info": worker.info()})
                continue
            if worker is None:
                raise WorkerError("bad-request", "no model loaded: send a load message first")
            if kind == "generate":
                outputs = worker.generate(message)
            elif kind == "loglikelihood":
                outputs = worker.loglikelihood(message["requests"])
            elif kind == "perplexity":
                outputs = worker.perplexity(message["groups"], message.get("prefixReuse", False))
            else:
                raise WorkerError("bad-request", f"unknown message type {kind!r}")
            send({"type": "result", "id": request_id, "outputs": outputs})
        except WorkerError as error:
            send({"type": "error", "id": request_id, "error": {"kind": error.kind, "message": str(error)}})
        except Exception as error:  # noqa: BLE001 - every failure is reported on the protocol
            oom = isinstance(error, torch.cuda.OutOfMemoryError) or "out of memory" in str(error).lower()
            if oom and torch.cuda.is_available():
                torch.cuda.empty_cache()
            traceback.print_exc(file=sys.stderr)
            send({"type": "error", "id": request_id,
                  "error": {"kind": "oom" if oom else "internal", "message": f"{type(error).__name__}: {error}"}})
    return 0


class WorkerError(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


def resolve_model_path(path, what):
    """A folder as is; a hub id from the local HuggingFace cache only (HF_HOME, HF_HUB_OFFLINE respected)."""
    if path is None or os.path.isdir(path):
        return path
    try:
        from huggingface_hub import snapshot_download
        return snapshot_download(repo_id=path, local_files_only=True)
    except Exception as error:  # noqa: BLE001
        cache = os.environ.get("HF_HUB_CACHE") or os.path.join(os.environ.get("HF_HOME", "~/.cache/huggingface"), "hub")
        raise WorkerError(
            "not-in-cache",
            f"{what} {path} is not a folder and not in the local HuggingFace cache ({cache}); "
            f"download it with: hf download {path}   (older huggingface_hub: huggingface-cli download {path})"
            f" [{type(error).__name__}]",
        )


class Worker:
    def __init__(self, settings):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig

        self.torch = torch
        self.settings = settings
        self.hf_type = settings.get("hfType", "chat")
        path = resolve_model_path(settings["path"], "model")
        tokenizer_path = resolve_model_path(settings.get("tokenizerPath"), "tokenizer") or path
        tokenizer_kwargs = {"padding_side": "left", "truncation_side": "left", "trust_remote_code": True}
        tokenizer_kwargs.update(settings.get("tokenizerKwargs") or {})
        self.tokenizer = AutoTokenizer.from_pretrained(tokenizer_path, **tokenizer_kwargs)

        model_kwargs = {"device_map": "auto", "trust_remote_code": True}
        model_kwargs.update(settings.get("modelKwargs") or {})
        dtype = model_kwargs.pop("torch_dtype", None) or model_kwargs.pop("dtype", None)
        model_kwargs["dtype"] = self._dtype(dtype, path)
        self.model = AutoModelForCausalLM.from_pretrained(path, **model_kwargs)
        if settings.get("peftPath"):
            from peft import PeftModel
            self.model = PeftModel.from_pretrained(self.model, resolve_model_path(settings["peftPath"], "adapter"), is_trainable=False)
        self.model.eval()
        self.model.generation_config.do_sample = False
        self.generation_config = self.model.generation_config

        pad = settings.get("padTokenId")
        if pad is None:
            pad = self.tokenizer.pad_token_id
        if pad is None:
            pad = self.generation_config.pad_token_id
        if pad is None:
            eos = self.generation_config.eos_token_id
            pad = eos[0] if isinstance(eos, list) else eos
        if pad is None:
            raise WorkerError("load", "no pad token id: the tokenizer, the generation config and eos give none; set tokenizer_kwargs pad_token")
        self.pad_token_id = int(pad)
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token_id = self.pad_token_id

        max_seq_len = settings.get("maxSeqLen")
        if max_seq_len is None:
            config = self.model.config
            for name in ("max_position_embeddings", "seq_length", "model_max_length"):
                if getattr(config, name, None):
                    max_seq_len = int(getattr(config, name))
                    break
        self.max_seq_len = int(max_seq_len or 2048)

        eos_ids = self.generation_config.eos_token_id
        eos_ids = [] if eos_ids is None else (eos_ids if isinstance(eos_ids, list) else [eos_ids])
        self.eos_token_ids = [int(token) for token in eos_ids]
        words = [self.tokenizer.decode(token) for token in self.eos_token_ids]
        if self.tokenizer.eos_token:
            words.append(self.tokenizer.eos_token)
        self.eos_stop_words = sorted({word for word in words if word})
        self.generation_kwargs = dict(settings.get("generationKwargs") or {})
        self.GenerationConfig = GenerationConfig
        self.device = next(self.model.parameters()).device

    def _dtype(self, dtype, path):
        torch = self.torch
        if dtype in (None, ""):
            import transformers
            config = transformers.AutoConfig.from_pretrained(path, trust_remote_code=True)
            dtype = getattr(config, "dtype", None) or getattr(config, "torch_dtype", None) or "float16"
        if dtype == "auto":
            return "auto"
        if isinstance(dtype, str):
            name = dtype.replace("torch.", "")
            if not hasattr(torch, name):
                raise WorkerError("bad-request", f"model_kwargs torch_dtype={dtype!r} is not a torch dtype (e.g. bfloat16, float16, float32)")
            return getattr(torch, name)
        return dtype

    def info(self):
        return {
            "maxSeqLen": self.max_seq_len,
            "eosStopWords": self.eos_stop_words,
            "eosTokenIds": self.eos_token_ids,
            "padTokenId": self.pad_token_id,
            "hasChatTemplate": bool(getattr(self.tokenizer, "chat_template", None)),
            "dtype": str(next(self.model.parameters()).dtype).replace("torch.", ""),
            "device": str(self.device),
            "deviceMap": {str(k): str(v) for k, v in (getattr(self.model, "hf_device_map", None) or {}).items()} or None,
            "attnImplementation": getattr(self.model.config, "_attn_implementation", None),
            "bosToken": self.tokenizer.bos_token,
        }

    # ---- prompts -------------------------------------------------------------------------------------------------

    def render(self, prompt):
        """Chat: the tokenizer's chat template with the generation prompt; base: the flat string (BOS added later)."""
        if prompt.get("messages") is not None:
            if self.hf_type != "chat":
                raise WorkerError("bad-request", "a messages prompt sent to a base (hf_type base) model")
            return self.tokenizer.apply_chat_template(prompt["messages"], add_generation_prompt=True, tokenize=False)
        return prompt["text"]

    def encode_batch(self, texts, add_special_tokens):
        return self.tokenizer(texts, return_tensors="pt", padding=True, truncation=True,
                              add_special_tokens=add_special_tokens, max_length=self.max_seq_len)

    # ---- generate ------------------------------------------------------------------------------------------------

    def generate(self, message):
        prompts = message["prompts"]
        chat = self.hf_type == "chat"
        texts = [self.render(prompt) for prompt in prompts]
        stop_words = sorted(set(message.get("stopWords") or []) | set(self.eos_stop_words))
        max_new_tokens = int(message["maxOutLen"])
        kwargs = dict(self.generation_kwargs)
        kwargs.update(message.get("generationKwargs") or {})
        if message.get("minOutLen") is not None:
            kwargs["min_new_tokens"] = int(message["minOutLen"])
        if message.get("batching") == "continuous":
            results = self._generate_continuous(texts, chat, stop_words, max_new_tokens, kwargs)
        else:
            results = self._generate_static(texts, chat, stop_words, max_new_tokens, kwargs)
        trace = os.environ.get("SEXTANT_HF_TRACE")
        if trace:  # diagnostics: each batch as run, for replaying it elsewhere (bench/gpu/replay-static.py)
            with open(trace, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"batching": message.get("batching"), "maxOutLen": max_new_tokens,
                                         "stopWords": message.get("stopWords") or [], "generationKwargs": kwargs,
                                         "prompts": prompts, "texts": [r["text"] for r in results],
                                         "tokenIds": [r["_tokenIds"] for r in results]}, ensure_ascii=False) + "\n")
        for result in results:
            del result["_tokenIds"]
        return results

    def _generate_static(self, texts, chat, stop_words, max_new_tokens, kwargs):
        """OpenCompass's `generate`: one padded batch, its own stopping criterion, new tokens decoded."""
        torch = self.torch
        tokens = self.encode_batch(texts, add_special_tokens=not chat)
        tokens = {key: value.to(self.device) for key, value in tokens.items()}
        prompt_length = tokens["input_ids"].shape[1]
        criteria = self._stopping_criteria(stop_words, prompt_length, len(texts))
        with torch.inference_mode():
            output = self.model.generate(**tokens, max_new_tokens=max_new_tokens, pad_token_id=self.pad_token_id,
                                         stopping_criteria=criteria, **kwargs)
        new_tokens = output[:, prompt_length:]
        decoded = self.tokenizer.batch_decode(new_tokens, skip_special_tokens=not chat)
        prompt_counts = tokens["attention_mask"].sum(-1).tolist()
        results = []
        for row, text in enumerate(decoded):
            row_tokens = new_tokens[row].tolist()
            count = len(row_tokens)
            while count > 0 and row_tokens[count - 1] == self.pad_token_id:
                count -= 1
            results.append(self._output(text, stop_words, int(prompt_counts[row]), count, max_new_tokens, row_tokens[:count]))
        return results

    def _output(self, decoded, stop_words, prompt_tokens, completion_tokens, max_new_tokens, token_ids):
        text = decoded
        for word in stop_words:
            text = text.split(word)[0]
        stopped = len(text) < len(decoded) or completion_tokens < max_new_tokens
        return {"text": text, "raw": decoded, "promptTokens": prompt_tokens, "completionTokens": completion_tokens,
                "finishReason": "stop" if stopped else "length", "_tokenIds": [int(t) for t in token_ids]}

    def _stopping_criteria(self, stop_words, prompt_length, batch_size):
        """OpenCompass's MultiTokenEOSCriteria: stop once every row's recent decoded text holds a stop word."""
        from transformers import StoppingCriteria, StoppingCriteriaList
        torch = self.torch
        tokenizer = self.tokenizer
        lookbacks = {word: len(tokenizer.encode(word, add_special_tokens=False)) + 2 for word in stop_words}

        class AllRowsStopped(StoppingCriteria):
            def __init__(self):
                self.done = [False] * batch_size

            def __call__(self, input_ids, scores, **kwargs):
                generated = input_ids[:, prompt_length:]
                for word, lookback in lookbacks.items():
                    tails = tokenizer.batch_decode(generated[:, -lookback:])
                    for row, tail in enumerate(tails):
                        if not self.done[row] and word in tail:
                            self.done[row] = True
                finished = all(self.done)
                return torch.full((input_ids.shape[0],), finished, dtype=torch.bool, device=input_ids.device)

        return StoppingCriteriaList([AllRowsStopped()]) if stop_words else StoppingCriteriaList([])

    def _generate_continuous(self, texts, chat, stop_words, max_new_tokens, kwargs):
        """transformers' continuous batching (`generate_batch`): paged attention, rows join and leave every step."""
        inputs = []
        for text in texts:
            ids = self.tokenizer(text, add_special_tokens=not chat)["input_ids"]
            inputs.append(ids[-self.max_seq_len:])  # left truncation, as the static path
        config = self.GenerationConfig(max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=self.pad_token_id,
                                       eos_token_id=self.eos_token_ids or None, **kwargs)
        import inspect
        extra = {"progress_bar": False} if "progress_bar" in inspect.signature(self.model.generate_batch).parameters else {}
        # Not under inference_mode: the manager's generation thread updates tensors made here in place.
        with self.torch.no_grad():
            outputs = self.model.generate_batch(inputs=inputs, generation_config=config, **extra)
        ordered = order_batch_outputs(outputs, inputs)
        results = []
        for ids, output in zip(inputs, ordered):
            if getattr(output, "error", None):
                raise WorkerError("internal", f"generate_batch failed a request: {output.error}")
            generated = list(output.generated_tokens)
            if not generated and max_new_tokens > 0:
                raise WorkerError("internal", f"generate_batch returned no tokens (status {getattr(output, 'status', '?')})")
            decoded = self.tokenizer.decode(generated, skip_special_tokens=not chat)
            results.append(self._output(decoded, stop_words, len(ids), len(generated), max_new_tokens, generated))
        return results

    # ---- scoring -------------------------------------------------------------------------------------------------

    def perplexity(self, groups, prefix_reuse):
        """Scores every candidate of every group. Static: OpenCompass's PPLInferencer batches, one candidate label
        across the groups per batch (label A of each question, then label B, ...); prefix reuse: per group, the shared
        token prefix once, then the candidates' tails against its cache."""
        if prefix_reuse:
            return [self._perplexity_prefix_reuse(group["candidates"]) for group in groups]
        width = max(len(group["candidates"]) for group in groups)
        scores = [[None] * len(group["candidates"]) for group in groups]
        evaluated = [0] * len(groups)
        for label in range(width):
            members = [(index, group["candidates"][label]) for index, group in enumerate(groups) if label < len(group["candidates"])]
            ppls, lengths, padded = self.get_ppl([candidate["text"] for _, candidate in members])
            for (index, candidate), ppl, length in zip(members, ppls, lengths):
                scores[index][label] = {"ppl": ppl, "tokenCount": length, "suffixTokenCount": self._count(candidate["suffix"])}
                evaluated[index] += padded
        return [{"scores": group_scores, "evaluatedTokens": count} for group_scores, count in zip(scores, evaluated)]

    def get_ppl(self, texts):
        """OpenCompass `HuggingFaceBaseModel.get_ppl`: BOS added, left padding and truncation, pad labels ignored,
        summed cross-entropy over the count of non-pad input tokens (BOS included)."""
        torch = self.torch
        tokens = self.encode_batch(texts, add_special_tokens=True)
        tokens = {key: value.to(self.device) for key, value in tokens.items()}
        with torch.inference_mode():
            logits = self.model(**tokens).logits
        shift_logits = logits[:, :-1, :].contiguous().float()
        shift_labels = tokens["input_ids"][:, 1:].contiguous()
        loss_fct = torch.nn.CrossEntropyLoss(reduction="none", ignore_index=self.pad_token_id)
        loss = loss_fct(shift_logits.view(-1, shift_logits.size(-1)), shift_labels.view(-1)).view(shift_labels.size())
        lens = (tokens["input_ids"] != self.pad_token_id).sum(-1)
        ppl = (loss.float().sum(-1) / lens).tolist()
        return ppl, [int(n) for n in lens.tolist()], int(tokens["input_ids"].shape[1])

    def _count(self, text):
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def _perplexity_prefix_reuse(self, candidates):
        torch = self.torch
        encoded = [self.tokenizer(c["text"], add_special_tokens=True, truncation=True, max_length=self.max_seq_len)["input_ids"]
                   for c in candidates]
        shared = common_prefix_length(encoded)
        shared = min(shared, min(len(ids) for ids in encoded) - 1)
        scores = []
        evaluated = 0
        with torch.inference_mode():
            if shared < 1:
                ppls, lengths, padded = self.get_ppl([c["text"] for c in candidates])
                return {"scores": [{"ppl": p, "tokenCount": n, "suffixTokenCount": self._count(c["suffix"])}
                                   for p, n, c in zip(ppls, lengths, candidates)],
                        "evaluatedTokens": padded * len(candidates)}
            prefix = torch.tensor([encoded[0][:shared]], device=self.device)
            out = self.model(input_ids=prefix, use_cache=True)
            evaluated += shared
            prefix_logprobs = torch.log_softmax(out.logits[0].float(), dim=-1)
            prefix_sum = prefix_logprobs[:-1].gather(-1, prefix[0, 1:, None]).sum().item() if shared > 1 else 0.0
            last = prefix_logprobs[-1]
            cache = out.past_key_values
            tails = [ids[shared:] for ids in encoded]
            tail_sums = self._score_tails(cache, shared, last, tails)
            evaluated += sum(len(tail) for tail in tails)
        for ids, tail_sum, candidate in zip(encoded, tail_sums, candidates):
            total = prefix_sum + tail_sum
            scores.append({"ppl": -total / len(ids), "tokenCount": len(ids), "suffixTokenCount": self._count(candidate["suffix"])})
        return {"scores": scores, "evaluatedTokens": evaluated}

    def _score_tails(self, cache, shared, last_logprobs, tails):
        """Summed log-probabilities of each tail after the cached prefix (tail i's first token from the prefix's
        last position). One forward per tail; the cache is cropped back to the prefix after each."""
        torch = self.torch
        sums = []
        for tail in tails:
            total = last_logprobs[tail[0]].item()
            if len(tail) > 1:
                ids = torch.tensor([tail[:-1]], device=self.device)
                out = self.model(input_ids=ids, past_key_values=cache, use_cache=True)
                logprobs = torch.log_softmax(out.logits[0].float(), dim=-1)
                targets = torch.tensor(tail[1:], device=self.device)
                total += logprobs.gather(-1, targets[:, None]).sum().item()
                cache = out.past_key_values
                cache.crop(shared)
            sums.append(total)
        return sums

    def loglikelihood(self, requests):
        """Sum of the continuation's log-probabilities: context + continuation tokenized together (BOS first) and
        split at the context's own token count; right padding, so positions are those of the unpadded sequence."""
        torch = self.torch
        encoded, splits = [], []
        for request in requests:
            whole = self.tokenizer(request["context"] + request["continuation"], add_special_tokens=True)["input_ids"]
            context = self.tokenizer(request["context"], add_special_tokens=True)["input_ids"]
            cut = max(0, len(whole) - self.max_seq_len)  # left truncation shortens the context
            whole = whole[cut:]
            encoded.append(whole)
            splits.append(min(max(1, len(context) - cut), len(whole)))
        width = max(len(ids) for ids in encoded)
        input_ids = torch.full((len(encoded), width), self.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(encoded), width), dtype=torch.long)
        for row, ids in enumerate(encoded):
            input_ids[row, :len(ids)] = torch.tensor(ids)
            mask[row, :len(ids)] = 1
        with torch.inference_mode():
            logits = self.model(input_ids=input_ids.to(self.device), attention_mask=mask.to(self.device)).logits.float()
        logprobs = torch.log_softmax(logits, dim=-1)
        results = []
        for row, ids in enumerate(encoded):
            split = splits[row]
            targets = torch.tensor(ids[split:], device=logprobs.device)
            rows = logprobs[row, split - 1:len(ids) - 1]
            picked = rows.gather(-1, targets[:, None])[:, 0]
            greedy = bool((rows.argmax(-1) == targets).all().item()) if len(targets) else True
            results.append({"logprob": float(picked.sum().item()), "isGreedy": greedy, "tokenCount": int(len(targets))})
        return results


def common_prefix_length(sequences):
    first = sequences[0]
    length = len(first)
    for other in sequences[1:]:
        index = 0
        while index < length and index < len(other) and other[index] == first[index]:
            index += 1
        length = index
    return length


def order_batch_outputs(outputs, inputs):
    """`generate_batch` returns {request_id: output}; put them back in input order (ids `req_<n>` in submission
    order, else by matching prompt ids)."""
    if isinstance(outputs, list):
        return outputs
    items = list(outputs.items())

    def number(key):
        digits = "".join(ch for ch in str(key).rsplit("_", 1)[-1] if ch.isdigit())
        return int(digits) if digits else None

    if all(number(key) is not None for key, _ in items):
        items.sort(key=lambda item: number(item[0]))
        if len(items) == len(inputs):
            prompt_ids = [getattr(output, "prompt_ids", None) for _, output in items]
            if all(p is None or list(p) == list(i) for p, i in zip(prompt_ids, inputs)):
                return [output for _, output in items]
    remaining = [output for _, output in items]
    ordered = []
    for ids in inputs:
        for index, output in enumerate(remaining):
            if list(getattr(output, "prompt_ids", [])) == list(ids):
                ordered.append(remaining.pop(index))
                break
        else:
            raise WorkerError("internal", "generate_batch returned outputs that cannot be matched to their prompts")
    return ordered


if __name__ == "__main__":
    sys.exit(main())
