import { defineCommand } from 'citty';
import { ConfigError } from '../spec/index.js';
import { normalizeArgv } from './normalize-argv.js';

export const viewArgs = {
  workDir: { type: 'positional', required: false, description: 'A work dir (default outputs/default), a run folder (its work dir), or a folder of work dirs' },
  host: { type: 'string', valueHint: 'HOST', description: 'Interface to listen on (default 127.0.0.1; anything else exposes the runs to the network)' },
  port: { type: 'string', valueHint: 'PORT', alias: 'p', description: 'Port (default 0: a free one; the URL is printed)' },
} as const;

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new ConfigError({ field: '--port', message: `expected a port from 0 to 65535, got "${value}"` });
  return port;
}

export const viewCommand = defineCommand({
  meta: { name: 'view', description: 'Browse runs in a local web UI: summaries, samples with filters, run comparisons' },
  args: viewArgs,
  async run({ args }) {
    const [{ isLoopbackHost, resolveWorkDir, startViewer }, { defaults }] = await Promise.all([
      import('../api/start-viewer.js'),
      import('../config/defaults.js'),
    ]);
    const port = parsePort(args.port);
    if (args.host && !isLoopbackHost(args.host)) {
      process.stderr.write(
        `sextant view: warning: --host ${args.host} is not a loopback address; anyone who can reach it can read these runs (prompts, answers, endpoints)\n`,
      );
    }
    const found = await resolveWorkDir({ path: args.workDir || defaults.workDir, argument: 'WORK_DIR' });
    for (const note of found.notes) process.stderr.write(`sextant view: ${note}\n`);
    const viewer = await startViewer({ workDir: found.workDir, ...(args.host ? { host: args.host } : {}), ...(port !== undefined ? { port } : {}) }).catch(
      (error: unknown) => {
        throw new ConfigError({ field: '--host/--port', message: `cannot listen: ${error instanceof Error ? error.message : String(error)}`, cause: error });
      },
    );
    process.stdout.write(`sextant view: ${found.workDir}\n${viewer.url}${found.run ? `runs/${found.run}` : ''}\n(Ctrl+C to stop)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void viewer.close().finally(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
});

/** Refuses unknown flags (with a suggestion), as the other commands do. */
export function normalizeViewArgv(argv: readonly string[]): string[] {
  return normalizeArgv(argv, viewArgs);
}
