import { createColors } from 'picocolors';
import type { RunReporter, TaskProgress } from '../spec/index.js';
import { useColor } from '../utils/use-color.js';

/**
 * Progress for a person: on a terminal, one redrawn status block (overall and the datasets in flight, with rate
 * and ETA); otherwise a plain line every few seconds. Warnings and debug lines always get their own line.
 */
export class ConsoleReporter implements RunReporter {
  private readonly tasks = new Map<string, TaskProgress>();
  private startedAt = Date.now();
  private lastPrint = 0;
  private drawnLines = 0;
  private completedSinceStart = 0;
  private readonly colors: ReturnType<typeof createColors>;

  constructor(
    private readonly options: {
      stream: NodeJS.WriteStream;
      debug: boolean;
      intervalMs: number;
    },
  ) {
    this.colors = createColors(useColor(options.stream));
  }

  private get isTerminal(): boolean {
    return this.options.stream.isTTY === true;
  }

  onRunStart(info: { runDirectory: string; mode: string; taskCount: number; sampleCount?: number }): void {
    this.startedAt = Date.now();
    this.line(
      `sextant: ${info.mode} ${info.taskCount} dataset task(s)${info.sampleCount !== undefined ? `, ${info.sampleCount} samples` : ''} -> ${info.runDirectory}`,
    );
  }

  onModelStart(info: { modelAbbr: string; modelName: string; apiBase?: string; concurrency: number | string }): void {
    this.line(`model ${info.modelAbbr}: ${info.modelName}${info.apiBase ? ` at ${info.apiBase}` : ''}, ${info.concurrency} in flight`);
  }

  onWarning(info: { modelAbbr?: string; message: string }): void {
    this.line(this.colors.yellow(`warning${info.modelAbbr ? ` (${info.modelAbbr})` : ''}: ${info.message}`));
  }

  onTaskStart(progress: TaskProgress): void {
    this.tasks.set(key(progress), progress);
  }

  onSampleEnd(progress: TaskProgress & { error?: string }): void {
    this.tasks.set(key(progress), progress);
    this.completedSinceStart += 1;
    this.maybeDraw();
  }

  onTaskEnd(progress: TaskProgress): void {
    this.tasks.set(key(progress), progress);
    if (this.options.debug)
      this.line(
        `done ${progress.modelAbbr}/${progress.datasetAbbr}: ${progress.done}/${progress.total}${progress.failed ? `, ${progress.failed} failed` : ''}`,
      );
    this.maybeDraw();
  }

  onRunEnd(info: { runDirectory: string; elapsedMs: number }): void {
    this.draw(true);
    this.clearDrawn();
    this.line(`finished in ${(info.elapsedMs / 1000).toFixed(1)} s: ${info.runDirectory}`);
  }

  onDebug(message: string): void {
    if (this.options.debug) this.line(this.colors.dim(message));
  }

  private maybeDraw(): void {
    const now = Date.now();
    const interval = this.isTerminal ? 100 : this.options.intervalMs;
    if (now - this.lastPrint >= interval) this.draw(false);
  }

  private draw(final: boolean): void {
    this.lastPrint = Date.now();
    const all = [...this.tasks.values()];
    if (all.length === 0) return;
    const total = sum(all, (task) => task.total);
    const done = sum(all, (task) => task.done);
    const failed = sum(all, (task) => task.failed);
    const elapsed = (Date.now() - this.startedAt) / 1000;
    const rate = elapsed > 0 ? this.completedSinceStart / elapsed : 0;
    const eta = rate > 0 ? (total - done) / rate : Number.NaN;
    const finishedTasks = all.filter((task) => task.done >= task.total).length;
    const overall =
      `[${done}/${total}] ${percent(done, total)} · datasets ${finishedTasks}/${all.length} · ${rate.toFixed(1)} samples/s` +
      (Number.isFinite(eta) && done < total ? ` · ETA ${formatDuration(eta)}` : '') +
      (failed > 0 ? this.colors.red(` · ${failed} failed`) : '');
    if (!this.isTerminal) {
      if (!final) this.options.stream.write(`progress ${overall}\n`);
      return;
    }
    const active = all.filter((task) => task.done < task.total && task.done > task.reused).slice(0, 6);
    const lines = [
      overall,
      ...active.map(
        (task) => `  ${task.modelAbbr}/${task.datasetAbbr} ${task.done}/${task.total}${task.failed ? this.colors.red(` ${task.failed} failed`) : ''}`,
      ),
    ];
    this.clearDrawn();
    this.options.stream.write(`${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
  }

  private clearDrawn(): void {
    if (this.isTerminal && this.drawnLines > 0) this.options.stream.write(`\x1b[${this.drawnLines}A\x1b[0J`);
    this.drawnLines = 0;
  }

  private line(text: string): void {
    this.clearDrawn();
    this.options.stream.write(`${text}\n`);
  }
}

const key = (progress: TaskProgress) => `${progress.modelAbbr}\u0000${progress.datasetAbbr}`;
const sum = <Item>(items: readonly Item[], pick: (item: Item) => number) => items.reduce((total, item) => total + pick(item), 0);
const percent = (done: number, total: number) => `${total === 0 ? 100 : Math.floor((100 * done) / total)}%`;

function formatDuration(seconds: number): string {
  const total = Math.ceil(seconds);
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  return minutes < 60 ? `${minutes}m${String(total % 60).padStart(2, '0')}s` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
