#!/usr/bin/env bash
# sextant's HuggingFace worker on a GPU: build a 7B-shaped checkpoint, check the worker against direct transformers
# calls, run `sextant run` end to end (static and continuous batching; PPL with and without prefix reuse), and replay
# the static run's batches OpenCompass-style with direct transformers calls.
#
# usage: bench/gpu/run-hf-bench.sh STAGE...   stages: build check gen-static replay teacher-forced gen-static64 gen-prefix
#        replay-prefix compare-prefix time-batches peft gen-peft gen-continuous gen-cont-small tf-cont ppl-static ppl-reuse
# env:   OUT (results; default /tmp/sextant-hf-bench), SEXTANT (the CLI; default `node dist/cli/main.js`),
#        SEXTANT_DATA_DIR (holds ceval/), CKPT (checkpoint folder), MAXOUT (max new tokens, default 16),
#        PPL_LIMIT (ceval_ppl questions per subject, default all), DTYPE (torch_dtype, default bfloat16),
#        BUILD_ARGS (extra build-checkpoint.py options, e.g. a small float32 model), PREFIX_BATCH (gen-prefix batch, default 8),
#        WORK (run folders; one per checkpoint), DEADLINE (epoch second: later stages are skipped)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
RESULTS=${OUT:-/tmp/sextant-hf-bench}
# Everything is written under one folder and packed into one archive at the end (the device tool returns few files).
OUT=$RESULTS/all
CKPT=${CKPT:-/tmp/sextant-llama-7b-random}
SEXTANT=${SEXTANT:-node dist/cli/main.js}
MAXOUT=${MAXOUT:-16}
DTYPE=${DTYPE:-bfloat16}
PREFIX_BATCH=${PREFIX_BATCH:-8}
WORK=${WORK:-/tmp/sextant-hf-runs}
mkdir -p "$OUT" "$WORK"
STAGE_TIMEOUT=${STAGE_TIMEOUT:-560}
export PYTHONUNBUFFERED=1
: "${SEXTANT_DATA_DIR:?set SEXTANT_DATA_DIR to the folder holding ceval/}"

timed() { # name command...
  local name=$1; shift
  local start end rc
  start=$(date +%s%N)
  echo "== $name: $*" | tee -a "$OUT/commands.txt"
  local limit=$STAGE_TIMEOUT
  if [ -n "${DEADLINE:-}" ]; then # an epoch second by which everything, the archive included, must be done
    local left=$(( DEADLINE - $(date +%s) - 10 ))
    [ "$left" -lt "$limit" ] && limit=$left
    if [ "$limit" -le 0 ]; then echo "{\"stage\":\"$name\",\"skipped\":\"deadline\"}" | tee -a "$OUT/timings.jsonl"; return; fi
  fi
  timeout "$limit" "$@" > "$OUT/$name.log" 2>&1; rc=$?
  end=$(date +%s%N)
  local ms=$(( (end - start) / 1000000 ))
  printf '{"stage":"%s","rc":%d,"seconds":%d.%d}\n' "$name" "$rc" $(( ms / 1000 )) $(( ms % 1000 / 100 )) | tee -a "$OUT/timings.jsonl"
  tail -n 25 "$OUT/$name.log"
}

latest() { ls -d "$1"/*/ 2>/dev/null | sort | tail -n 1; }
# the worker trace's timing fields (no prompts or texts): when each batch started, its seconds, phases and peak memory
trace_timing() { python3 -c 'import json,sys
for line in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(line); print(json.dumps({k: e.get(k) for k in ("startedAt", "seconds", "size", "prefixShared", "phases", "peakMemoryMiB")}))' "$1" > "$2" 2>/dev/null || true; }

for stage in "$@"; do
  case $stage in
    build) timed build python3 "$HERE/build-checkpoint.py" "$CKPT" --data "$SEXTANT_DATA_DIR/ceval" ${BUILD_ARGS:-} ;;
    check) timed check python3 "$HERE/check-worker.py" "$CKPT" --data "$SEXTANT_DATA_DIR/ceval" --dtype "$DTYPE" --out "$OUT/check-$DTYPE.json" ;;
    gen-static)
      rm -f "$WORK/trace-static.jsonl"
      export SEXTANT_HF_TRACE=$WORK/trace-static.jsonl
      timed gen-static $SEXTANT run --datasets ceval_gen --hf-type chat --hf-path "$CKPT" \
        --model-kwargs torch_dtype="$DTYPE" --max-out-len "$MAXOUT" --batch-size 8 -w "$WORK/gen-static"
      unset SEXTANT_HF_TRACE
      trace_timing "$WORK/trace-static.jsonl" "$OUT/trace-static-timing.jsonl" ;;
    replay) timed replay python3 "$HERE/replay-static.py" "$CKPT" "$WORK/trace-static.jsonl" --dtype "$DTYPE" --out "$OUT/replay-$DTYPE.json" ;;
    gen-prefix) # static batches with each shared prompt prefix computed once (--prefix-reuse), traced
      rm -f "$WORK/trace-prefix.jsonl"
      export SEXTANT_HF_TRACE=$WORK/trace-prefix.jsonl
      timed "gen-prefix$PREFIX_BATCH" $SEXTANT run --datasets ceval_gen --hf-type chat --hf-path "$CKPT" --prefix-reuse \
        --model-kwargs torch_dtype="$DTYPE" --max-out-len "$MAXOUT" --batch-size "$PREFIX_BATCH" -w "$WORK/gen-prefix$PREFIX_BATCH"
      unset SEXTANT_HF_TRACE
      trace_timing "$WORK/trace-prefix.jsonl" "$OUT/trace-prefix$PREFIX_BATCH-timing.jsonl" ;;
    time-batches) # the worker alone: the same 5-shot batches static and prefix-shared, alternating
      timed time-batches python3 "$HERE/time-batches.py" "$CKPT" --data "$SEXTANT_DATA_DIR/ceval" --dtype "$DTYPE" \
        --batch-size "$PREFIX_BATCH" --max-out-len "$MAXOUT" --out "$OUT/time-batches$PREFIX_BATCH.json"
      rm -f "$OUT/time-batches$PREFIX_BATCH.json.trace.jsonl" ;;
    replay-prefix) # the prefix-shared run's batches, replayed as OpenCompass's static generate with direct transformers
      timed replay-prefix python3 "$HERE/replay-static.py" "$CKPT" "$WORK/trace-prefix.jsonl" --dtype "$DTYPE" --out "$OUT/replay-prefix-$DTYPE.json" ;;
    compare-prefix) timed compare-prefix python3 "$HERE/compare-predictions.py" "$(latest "$WORK/gen-static")" "$(latest "$WORK/gen-prefix$PREFIX_BATCH")" ;;
    teacher-forced) timed teacher-forced python3 "$HERE/replay-static.py" "$CKPT" "$WORK/trace-static.jsonl" --dtype "$DTYPE" --teacher-forced-only --out "$OUT/teacher-forced.json" ;;
    peft) # a random LoRA adapter made with peft: worker (peftPath) vs PeftModel directly; tokenize vs get_token_len by hand
      timed peft python3 "$HERE/check-peft.py" "$CKPT" --data "$SEXTANT_DATA_DIR/ceval" --adapter "$WORK/adapter" --dtype "$DTYPE" --out "$OUT/check-peft.json" ;;
    gen-peft) # sextant end to end with that adapter (--peft-path), one question per subject
      timed gen-peft $SEXTANT run --datasets ceval_gen --hf-type chat --hf-path "$CKPT" --peft-path "$WORK/adapter" --limit 1 \
        --model-kwargs torch_dtype="$DTYPE" --max-out-len "$MAXOUT" --max-seq-len 2048 -w "$WORK/gen-peft" ;;
    gen-static64) # static batches of 64: what a larger static batch buys on a prefill-heavy workload
      timed gen-static64 $SEXTANT run --datasets ceval_gen --hf-type chat --hf-path "$CKPT" \
        --model-kwargs torch_dtype="$DTYPE" --max-out-len "$MAXOUT" --batch-size 64 -w "$WORK/gen-static64" ;;
    gen-cont-small) # continuous batching on 2 questions per subject, traced, for the teacher-forced check
      rm -f "$WORK/trace-continuous.jsonl"
      export SEXTANT_HF_TRACE=$WORK/trace-continuous.jsonl
      timed gen-cont-small $SEXTANT run --datasets ceval_gen --hf-type chat --hf-path "$CKPT" --limit 2 \
        --model-kwargs torch_dtype="$DTYPE" --max-out-len "$MAXOUT" --batching continuous -w "$WORK/gen-cont-small"
      unset SEXTANT_HF_TRACE ;;
    tf-cont) timed tf-cont python3 "$HERE/replay-static.py" "$CKPT" "$WORK/trace-continuous.jsonl" --dtype "$DTYPE" --teacher-forced-only --out "$OUT/teacher-forced-continuous.json" ;;
    gen-continuous)
      timed gen-continuous $SEXTANT run --datasets ceval_gen --hf-type chat --hf-path "$CKPT" \
        --model-kwargs torch_dtype="$DTYPE" --max-out-len "$MAXOUT" --batching continuous -w "$WORK/gen-continuous"
      timed compare-gen python3 "$HERE/compare-predictions.py" "$(latest "$WORK/gen-static")" "$(latest "$WORK/gen-continuous")" ;;
    ppl-static | ppl-reuse)
      reuse=$([ "$stage" = ppl-reuse ] && echo true || echo false)
      limit=${PPL_LIMIT:+,\"limit\":$PPL_LIMIT}
      printf '{"datasets":["ceval_ppl"]%s,"models":[{"type":"huggingface","path":"%s","hfType":"base","modelKwargs":{"torch_dtype":"%s"},"batchSize":8,"prefixReuse":%s}]}\n' \
        "$limit" "$CKPT" "$DTYPE" "$reuse" > "$WORK/$stage.json"
      cp "$WORK/$stage.json" "$OUT/$stage.config.json"
      timed "$stage" $SEXTANT run "$WORK/$stage.json" -w "$WORK/$stage"
      [ "$stage" = ppl-reuse ] && timed compare-ppl python3 "$HERE/compare-predictions.py" "$(latest "$WORK/ppl-static")" "$(latest "$WORK/ppl-reuse")" ;;
    *) echo "unknown stage $stage" >&2; exit 2 ;;
  esac
done
for run in "$WORK"/*/; do
  dir=$(latest "$run"); [ -n "$dir" ] || continue
  name=$(basename "$run")
  cp "$dir"/configs/*.json "$OUT/$name.config-dump.json" 2>/dev/null || true
  cat "$dir"/summary/*.txt > "$OUT/$name.summary.txt" 2>/dev/null || true
done
cp "$OUT/timings.jsonl" "$RESULTS/timings-$(date +%H%M%S).jsonl"
tar czf "$RESULTS/results-$(date +%H%M%S).tgz" -C "$OUT" . && rm -rf "$OUT"
