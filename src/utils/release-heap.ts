import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * Let {@link releaseHeap} run a full garbage collection. Only the CLI process calls this (a library user's process
 * keeps its own GC policy): `--expose-gc` set at run time gives a fresh context a `gc` function, without a node flag.
 */
export function enableHeapRelease(): void {
  if (collect) return;
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as () => void;
}

/**
 * A full garbage collection, when {@link enableHeapRelease} was called; nothing otherwise. Called between a run's
 * phases, so the heap grown in one (inference) is handed back before the next (scoring, report) grows it again.
 */
export function releaseHeap(): void {
  collect?.();
}
