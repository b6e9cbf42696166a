import type { RunEvaluationResult } from './run-evaluation.js';

/**
 * A dry run's plan as printed by `sextant run --dry-run`: per model and dataset the samples, prompt tokens and
 * `maxSeqLen` truncations, the totals, and with `--estimate` the probe's ETA.
 */
export function formatPlan(result: Pick<RunEvaluationResult, 'plan' | 'modelPlans'>): string {
  const plan = result.plan ?? [];
  const probed = (result.modelPlans ?? []).reduce((total, model) => total + (model.estimate?.probeRequests ?? 0), 0);
  const counted = (result.modelPlans ?? []).some((model) => model.promptTokens !== undefined);
  const sent =
    probed > 0 ? `only the ${probed} --estimate probe request(s) were sent` : counted ? 'nothing was generated (token counts only)' : 'nothing was sent';
  const lines = [`dry run: ${plan.length} (model, dataset) tasks, ${plan.reduce((total, entry) => total + entry.samples, 0)} samples; ${sent}`];
  for (const model of result.modelPlans ?? []) {
    for (const entry of model.datasets) {
      const tokens = entry.promptTokens !== undefined ? `  ${entry.promptTokens} prompt tokens` : '';
      const truncated = entry.truncated !== undefined ? `  ${entry.truncated} truncated` : '';
      lines.push(`  ${model.model}  ${entry.dataset}  ${entry.samples} samples${tokens}${truncated}`);
    }
    const total = [
      model.promptTokens !== undefined ? `${model.promptTokens} prompt tokens` : undefined,
      model.truncated !== undefined ? `${model.truncated} prompts over maxSeqLen ${model.maxSeqLen} lose in-context examples` : undefined,
    ].filter(Boolean);
    if (total.length > 0) lines.push(`  ${model.model}  total: ${total.join(', ')}`);
    if (model.note) lines.push(`  ${model.model}  note: ${model.note}`);
    const estimate = model.estimate;
    if (estimate) {
      const failed = estimate.failed > 0 ? `; ${estimate.failed} probe request(s) failed` : '';
      lines.push(
        `  ${model.model}  estimate: ${estimate.probeRequests} requests at concurrency ${estimate.concurrency} took ${(estimate.probeMs / 1000).toFixed(1)} s; ${estimate.requests} requests ≈ ${formatDuration(estimate.etaMs)}${failed}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return hours > 0 ? `${hours}h${String(minutes).padStart(2, '0')}m` : minutes > 0 ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}
