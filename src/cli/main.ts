#!/usr/bin/env node
import { runCommand, type ArgsDef, type CommandDef } from 'citty';
import { EvalError, redactText } from '../spec/index.js';
import { useColor } from '../utils/use-color.js';
import { renderHelp } from './render-help.js';

/** `sextant`: a thin CLI over the programmatic API; each command loads its implementation lazily. */
const commands: Record<string, () => Promise<{ command: CommandDef<any>; normalize?: (argv: readonly string[]) => string[] }>> = {
  run: async () => {
    const module = await import('./run-command.js');
    return { command: module.runCommand, normalize: module.normalizeRunArgv };
  },
  list: async () => {
    const module = await import('./list-command.js');
    return { command: module.listCommand, normalize: module.normalizeListArgv };
  },
  view: async () => {
    const module = await import('./view-command.js');
    return { command: module.viewCommand, normalize: module.normalizeViewArgv };
  },
  prompt: async () => {
    const module = await import('./prompt-command.js');
    return { command: module.promptCommand, normalize: module.normalizePromptArgv };
  },
  report: async () => {
    const module = await import('./report-command.js');
    return { command: module.reportCommand, normalize: module.normalizeReportArgv };
  },
  compare: async () => {
    const module = await import('./compare-command.js');
    return { command: module.compareCommand, normalize: module.normalizeCompareArgv };
  },
  audit: async () => {
    const module = await import('./audit-command.js');
    return { command: module.auditCommand, normalize: module.normalizeAuditArgv };
  },
  data: async () => {
    const module = await import('./data-command.js');
    return { command: module.dataCommand, normalize: module.normalizeDataArgv };
  },
};

const rootDescription = 'Evaluate LLMs on standard benchmarks (C-Eval first), OpenCompass-compatible';

/** `--help` of the root (no `command`), of a command, or of a sub-command (`sextant data fetch`: `parent` is `sextant data`). */
async function printHelp(command: CommandDef<any> | undefined, stream: NodeJS.WriteStream, parent = 'sextant'): Promise<void> {
  const color = useColor(stream);
  if (!command) {
    const loaded = await Promise.all(
      Object.entries(commands).map(async ([name, load]) => ({ name, meta: (await load()).command.meta as { description?: string } })),
    );
    const listed = loaded.map(({ name, meta }) => ({ name, description: meta.description ?? '' }));
    stream.write(renderHelp({ name: parent, description: rootDescription, commands: listed }, { color }));
    return;
  }
  const meta = command.meta as { name?: string; description?: string };
  const subCommands = command.subCommands ? Object.entries((await resolveValue(command.subCommands)) as Record<string, unknown>) : [];
  const listed = await Promise.all(
    subCommands.map(async ([name, sub]) => ({
      name,
      description: (((await resolveValue(sub)) as CommandDef<any>).meta as { description?: string })?.description ?? '',
    })),
  );
  stream.write(
    renderHelp(
      {
        name: `${parent} ${meta.name ?? ''}`.trim(),
        description: meta.description ?? '',
        args: (command.args ?? {}) as ArgsDef,
        ...(listed.length > 0 ? { commands: listed } : {}),
      },
      { color },
    ),
  );
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    const { sextantVersion } = await import('../api/version.js');
    process.stdout.write(`${sextantVersion}\n`);
    return 0;
  }
  const load = name ? commands[name] : undefined;
  if (!load) {
    const asked = name === '--help' || name === '-h';
    await printHelp(undefined, asked ? process.stdout : process.stderr);
    if (name && !asked) {
      process.stderr.write(`sextant: unknown command "${name}" (commands: ${Object.keys(commands).join(', ')})\n`);
      return 2;
    }
    return name ? 0 : 2;
  }
  const { command, normalize } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    // `sextant data fetch --help`: the sub-command's own flags.
    const subCommand = rest[0] && command.subCommands ? await resolveValue((command.subCommands as Record<string, unknown>)[rest[0]]) : undefined;
    if (subCommand) await printHelp(subCommand as CommandDef<any>, process.stdout, `sextant ${name}`);
    else await printHelp(command, process.stdout);
    return 0;
  }
  try {
    await runCommand(command, { rawArgs: normalize ? normalize(rest) : rest });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (EvalError.isInstance(error)) {
      process.stderr.write(`sextant ${name}: ${error.message}\n`);
      return error.name === 'EVAL_ConfigError' ? 2 : 1;
    }
    // A full disk or an unwritable folder met outside sextant's own writers: one line, no stack trace.
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOSPC' || code === 'EROFS' || code === 'EACCES' || code === 'ENOTDIR') {
      process.stderr.write(`sextant ${name}: ${redactText((error as Error).message, { urls: true })}\n`);
      return 1;
    }
    throw error;
  }
}

async function resolveValue(value: unknown): Promise<unknown> {
  const resolved = typeof value === 'function' ? await (value as () => unknown)() : await value;
  return resolved;
}

// Output piped into `head` and the like: stop quietly when the reader goes away.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sextant: unexpected error: ${redactText((error as Error).stack ?? String(error), { urls: true })}\n`);
    process.exitCode = 1;
  },
);
