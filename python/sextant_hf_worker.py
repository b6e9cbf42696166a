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
import time
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
    # Growing KV caches (one torch.cat per layer per decoding step) fragment the default CUDA allocator into many
    # cudaMalloc calls; expandable segments avoid that. Numerics are unchanged; a user's own setting wins.
    os.environ.setdefault("PYTORCH_CUDA_ALLOC_CONF", "expandable_segments:True")
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
        "cudaAllocConf": os.environ.get("PYTORCH_CUDA_ALLOC_CONF"),
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
            elif kind == "tokenize":
                outputs = worker.count_tokens(message["texts"])
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


class PhaseClock:
    """Seconds per phase of a batch, into `phases` (the trace's diagnostics); a no-op unless tracing (it synchronises
    the GPU)."""

    def __init__(self, torch, phases, enabled):
        self.torch, self.phases, self.enabled = torch, phases, enabled
        self.last = time.time()

    def mark(self, name, **details):
        if not self.enabled:
            return
        if self.torch.cuda.is_available():
            self.torch.cuda.synchronize()
        now = time.time()
        self.phases[name] = {"seconds": round(now - self.last, 3), **details}
        self.last = now


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

    def count_tokens(self, texts):
        """OpenCompass's `get_token_len`: base models count the text with BOS; chat models the ids of the text as one
        user turn through the chat template with the generation prompt (what generation feeds the model)."""
        counts = []
        for text in texts:
            if self.hf_type == "chat":
                rendered = self.tokenizer.apply_chat_template([{"role": "user", "content": text}], add_generation_prompt=True, tokenize=False)
                counts.append(len(self.tokenizer(rendered, add_special_tokens=False)["input_ids"]))
            else:
                counts.append(len(self.tokenizer(text, add_special_tokens=True)["input_ids"]))
        return counts

    def encode_batch(self, texts, add_special_tokens):
        return self.tokenizer(texts, return_tensors="pt", padding=True, truncation=True,
                              add_special_tokens=add_special_tokens, max_length=self.max_seq_len)

    # ---- generate ------------------------------------------------------------------------------------------------

    def generate(self, message):
        started = time.time()
        self._phases = {}
        prompts = message["prompts"]
        chat = self.hf_type == "chat"
        texts = [self.render(prompt) for prompt in prompts]
        stop_words = sorted(set(message.get("stopWords") or []) | set(self.eos_stop_words))
        max_new_tokens = int(message["maxOutLen"])
        kwargs = dict(self.generation_kwargs)
        kwargs.update(message.get("generationKwargs") or {})
        if message.get("minOutLen") is not None:
            kwargs["min_new_tokens"] = int(message["minOutLen"])
        prefix_shared = False
        if message.get("batching") == "continuous":
            results = self._generate_continuous(texts, chat, stop_words, max_new_tokens, kwargs)
        else:
            results = self._generate_prefix_shared(texts, chat, stop_words, max_new_tokens, kwargs) if message.get("prefixReuse") else None
            prefix_shared = results is not None
            if results is None:
                results = self._generate_static(texts, chat, stop_words, max_new_tokens, kwargs)
        trace = os.environ.get("SEXTANT_HF_TRACE")
        if trace:  # diagnostics: each batch as run, for replaying it elsewhere (bench/gpu/replay-static.py)
            torch = self.torch
            peak = None
            if torch.cuda.is_available():
                torch.cuda.synchronize()
                peak = round(torch.cuda.max_memory_allocated() / 2**20)
                torch.cuda.reset_peak_memory_stats()
            with open(trace, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"startedAt": round(started, 3), "seconds": round(time.time() - started, 3),
                                         "phases": self._phases, "peakMemoryMiB": peak, "size": len(prompts),
                                         "batching": message.get("batching"), "prefixShared": prefix_shared, "maxOutLen": max_new_tokens,
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
        prompt_counts = [int(count) for count in tokens["attention_mask"].sum(-1).tolist()]
        return self._batch_outputs(output[:, prompt_length:], chat, stop_words, prompt_counts, max_new_tokens)

    def _batch_outputs(self, new_tokens, chat, stop_words, prompt_counts, max_new_tokens):
        """One output per row of a padded batch of new tokens: decoded (special tokens kept for chat models), trailing
        pads not counted, cut at the stop words."""
        decoded = self.tokenizer.batch_decode(new_tokens, skip_special_tokens=not chat)
        results = []
        for row, text in enumerate(decoded):
            row_tokens = new_tokens[row].tolist()
            count = len(row_tokens)
            while count > 0 and row_tokens[count - 1] == self.pad_token_id:
                count -= 1
            results.append(self._output(text, stop_words, prompt_counts[row], count, max_new_tokens, row_tokens[:count]))
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

    def _plain_greedy(self, kwargs):
        """Whether generation is plain greedy decoding (what the prefix-shared loop implements): no sampling, beams or
        logits processors in the request's kwargs or the model's generation config, only min_new_tokens."""
        if set(kwargs) - {"min_new_tokens", "do_sample", "num_beams", "temperature", "top_p", "top_k"}:
            return False
        if kwargs.get("do_sample") or int(kwargs.get("num_beams") or 1) != 1:
            return False
        config = self.generation_config
        neutral = {"num_beams": 1, "repetition_penalty": 1.0, "encoder_repetition_penalty": 1.0, "no_repeat_ngram_size": 0,
                   "bad_words_ids": None, "suppress_tokens": None, "begin_suppress_tokens": None, "forced_bos_token_id": None,
                   "forced_eos_token_id": None, "sequence_bias": None, "min_length": 0, "min_new_tokens": None,
                   "exponential_decay_length_penalty": None, "renormalize_logits": False}
        for name, value in neutral.items():
            current = getattr(config, name, value)
            if current is not None and current != value and not (name in ("num_beams",) and current in (None, 1)):
                return False
        return True

    def _generate_prefix_shared(self, texts, chat, stop_words, max_new_tokens, kwargs):
        """Greedy decoding of one batch with every shared prompt prefix computed once (not OpenCompass's batching: the
        same tokens and positions, so results differ from static batches only by floating-point rounding).

        The batch's prompts are grouped by shared token prefix (a few-shot dataset's examples); each group's prefix
        runs once, unpadded, and its KV cache is placed in every row of the group, left-padded to the longest prefix;
        then every row's remaining tokens run as one left-padded batch with explicit positions, and the batch is
        decoded greedily with OpenCompass's stopping rule. Returns None (run the static batch instead) when generation
        is not plain greedy, no group shares enough tokens, or this transformers' cache cannot be rearranged."""
        torch = self.torch
        if not self._plain_greedy(kwargs):
            if not getattr(self, "_warned_prefix", False):
                self._warned_prefix = True
                print(f"sextant worker: prefix reuse is off for generation with generation kwargs {sorted(kwargs)} "
                      "or a non-greedy generation config: static batches are used", file=sys.stderr)
            return None
        encoded = [self.tokenizer(text, add_special_tokens=not chat, truncation=True, max_length=self.max_seq_len)["input_ids"]
                   for text in texts]
        groups = prefix_groups(encoded, PREFIX_MIN_SHARED, PREFIX_MIN_SINGLE)
        if not groups:
            return None
        batch = len(encoded)
        device = self.device
        shared_of = [0] * batch
        clock = PhaseClock(torch, self._phases, bool(os.environ.get("SEXTANT_HF_TRACE")))
        with torch.inference_mode():
            caches = []
            for rows, shared in groups:
                prefix = torch.tensor([encoded[rows[0]][:shared]], device=device)
                caches.append(self.model(input_ids=prefix, use_cache=True, logits_to_keep=1).past_key_values)
                for row in rows:
                    shared_of[row] = shared
            accesses = [cache_access(cache) for cache in caches]
            if any(access is None for access in accesses):
                return None
            width_p = max(shared_of)
            target_count, _, put = accesses[0]
            for layer in range(target_count):
                keys, values = accesses[0][1](layer)
                shape = (batch, keys.shape[1], width_p, keys.shape[3])
                all_keys = torch.zeros(shape, dtype=keys.dtype, device=keys.device)
                all_values = torch.zeros(shape, dtype=values.dtype, device=values.device)
                for (rows, shared), access in zip(groups, accesses):
                    group_keys, group_values = access[1](layer)
                    index = torch.tensor(rows, device=keys.device)
                    all_keys[index, :, width_p - shared:, :] = group_keys.expand(len(rows), -1, -1, -1)
                    all_values[index, :, width_p - shared:, :] = group_values.expand(len(rows), -1, -1, -1)
                put(layer, all_keys, all_values)
            cache = caches[0]
            clock.mark("prefixes", groups=[[len(rows), shared] for rows, shared in groups])
            tails = [ids[shared_of[row]:] for row, ids in enumerate(encoded)]
            width_t = max(len(tail) for tail in tails)
            tail_ids = torch.full((batch, width_t), self.pad_token_id, dtype=torch.long)
            mask = torch.zeros((batch, width_p + width_t), dtype=torch.long)
            for row, tail in enumerate(tails):
                tail_ids[row, width_t - len(tail):] = torch.tensor(tail, dtype=torch.long)
                mask[row, width_p - shared_of[row]:width_p] = 1
                mask[row, width_p + width_t - len(tail):] = 1
            tail_ids, mask = tail_ids.to(device), mask.to(device)
            positions = (mask.cumsum(-1) - 1).clamp(min=0)[:, width_p:]
            out = self.model(input_ids=tail_ids, attention_mask=mask, position_ids=positions, past_key_values=cache,
                             use_cache=True, logits_to_keep=1)
            next_position = positions[:, -1:] + 1
            clock.mark("tails", width=width_t, prefixWidth=width_p)
            eos = torch.tensor(self.eos_token_ids, device=device) if self.eos_token_ids else None
            min_new_tokens = int(kwargs.get("min_new_tokens") or 0)
            criteria = self._stopping_criteria(stop_words, 0, batch)
            finished = torch.zeros(batch, dtype=torch.bool, device=device)
            generated = []
            for step in range(max_new_tokens):
                logits = out.logits[:, -1, :].float()
                if eos is not None and step < min_new_tokens:
                    logits[:, eos] = float("-inf")
                token = logits.argmax(-1)
                token = torch.where(finished, torch.full_like(token, self.pad_token_id), token)
                generated.append(token)
                if eos is not None:
                    finished = finished | torch.isin(token, eos)
                so_far = torch.stack(generated, dim=1)
                if step + 1 == max_new_tokens or bool(finished.all()) or bool(criteria(so_far, None).all()):
                    break
                mask = torch.cat([mask, torch.ones((batch, 1), dtype=mask.dtype, device=device)], dim=1)
                out = self.model(input_ids=token[:, None], attention_mask=mask, position_ids=next_position,
                                 past_key_values=out.past_key_values, use_cache=True, logits_to_keep=1)
                next_position = next_position + 1
            clock.mark("decode", steps=len(generated))
        new_tokens = torch.stack(generated, dim=1) if generated else torch.zeros((batch, 0), dtype=torch.long)
        results = self._batch_outputs(new_tokens, chat, stop_words, [len(ids) for ids in encoded], max_new_tokens)
        for row, result in enumerate(results):
            result["prefixTokens"] = shared_of[row]  # prompt tokens this row's group computed once
        return results

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
        last position): one right-padded forward of every tail over the prefix's cache repeated per tail."""
        torch = self.torch
        sums = [last_logprobs[tail[0]].item() for tail in tails]
        longer = [index for index, tail in enumerate(tails) if len(tail) > 1]
        access = cache_access(cache)
        if not longer:
            return sums
        if access is None:
            return self._score_tails_one_by_one(cache, shared, last_logprobs, tails)
        count, get, put = access
        rows = len(longer)
        for layer in range(count):
            keys, values = get(layer)
            put(layer, keys.expand(rows, -1, -1, -1).contiguous(), values.expand(rows, -1, -1, -1).contiguous())
        width = max(len(tails[index]) - 1 for index in longer)
        ids = torch.full((rows, width), self.pad_token_id, dtype=torch.long)
        mask = torch.zeros((rows, shared + width), dtype=torch.long)
        mask[:, :shared] = 1
        for row, index in enumerate(longer):
            inputs = tails[index][:-1]
            ids[row, :len(inputs)] = torch.tensor(inputs, dtype=torch.long)
            mask[row, shared:shared + len(inputs)] = 1
        positions = torch.arange(shared, shared + width, dtype=torch.long)[None, :].expand(rows, -1)
        out = self.model(input_ids=ids.to(self.device), attention_mask=mask.to(self.device), position_ids=positions.to(self.device),
                         past_key_values=cache, use_cache=True)
        logprobs = torch.log_softmax(out.logits.float(), dim=-1)
        for row, index in enumerate(longer):
            targets = torch.tensor(tails[index][1:], device=logprobs.device)
            sums[index] += logprobs[row, :len(targets)].gather(-1, targets[:, None]).sum().item()
        return sums

    def _score_tails_one_by_one(self, cache, shared, last_logprobs, tails):
        """The same sums with one forward per tail, the cache cropped back to the prefix after each."""
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


# Prefix-shared generation: a group of rows shares at least this many prompt tokens; a row in no group still gets its
# own prefix when it is this long (a long unpadded prefill is as efficient alone as in a batch).
PREFIX_MIN_SHARED = 32
PREFIX_MIN_SINGLE = 256


def prefix_groups(encoded, min_shared, min_single):
    """Rows grouped by shared token prefix: [(rows, shared_length)]. Rows are sorted, so a group is a run of
    neighbours and its shared prefix the least neighbour-to-neighbour common prefix; the runs are chosen to save the
    most prompt tokens ((size - 1) x shared summed over groups). Every shared length is at most the row's length minus
    one: the last prompt token always runs with the batch, so it yields the first logits. A row in no group runs whole
    in the batched pass; a lone row of at least `min_single` tokens gets its own prefix."""
    order = sorted(range(len(encoded)), key=lambda row: encoded[row])
    count = len(order)
    neighbour = [0] + [common_prefix_length([encoded[order[i - 1]], encoded[order[i]]]) for i in range(1, count)]
    best = [0] * (count + 1)  # best[j]: most tokens saved by grouping the first j sorted rows
    choice = [0] * (count + 1)  # start of the last run in that best grouping
    for end in range(1, count + 1):
        best[end], choice[end] = best[end - 1], end - 1
        shared = len(encoded[order[end - 1]]) - 1
        for start in range(end - 2, -1, -1):
            shared = min(shared, neighbour[start + 1], len(encoded[order[start]]) - 1)
            if shared < min_shared:
                break
            saved = best[start] + (end - start - 1) * shared
            if saved > best[end]:
                best[end], choice[end] = saved, start
    groups = []
    end = count
    while end > 0:
        start = choice[end]
        rows = order[start:end]
        shared = min(len(encoded[row]) - 1 for row in rows)
        for index in range(start + 1, end):
            shared = min(shared, neighbour[index])
        if len(rows) > 1 or shared >= min_single:
            groups.append((rows, shared))
        end = start
    groups.reverse()
    return [(rows, shared) for rows, shared in groups if shared >= 1]


def cache_access(cache):
    """(layer count, get(layer) -> (keys, values), put(layer, keys, values)) over a transformers KV cache: the
    `layers` of transformers >= 4.56 or the `key_cache`/`value_cache` lists before; None for any other cache."""
    layers = getattr(cache, "layers", None)
    if layers is not None and len(layers) > 0 and all(hasattr(layer, "keys") and hasattr(layer, "values") for layer in layers):
        def put(index, keys, values):
            layers[index].keys, layers[index].values = keys, values
        return len(layers), lambda index: (layers[index].keys, layers[index].values), put
    key_cache, value_cache = getattr(cache, "key_cache", None), getattr(cache, "value_cache", None)
    if isinstance(key_cache, list) and isinstance(value_cache, list) and key_cache:
        def put_lists(index, keys, values):
            key_cache[index], value_cache[index] = keys, values
        return len(key_cache), lambda index: (key_cache[index], value_cache[index]), put_lists
    return None


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
