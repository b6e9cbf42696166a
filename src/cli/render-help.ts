import type { ArgDef, ArgsDef } from 'citty';
import { createColors } from 'picocolors';

/** What `--help` shows of one command. */
export interface HelpSubject {
  /** e.g. `sextant run`. */
  readonly name: string;
  readonly description: string;
  readonly args?: ArgsDef;
  /** Sub-commands (the root command). */
  readonly commands?: ReadonlyArray<{ readonly name: string; readonly description: string }>;
}

/**
 * The `--help` text of a command: every flag as the parser accepts it (`--kebab-case`, one-letter aliases as `-x`;
 * longer aliases are accepted but not listed), with ANSI colour only when `color` is set.
 */
export function renderHelp(subject: HelpSubject, options: { color: boolean }): string {
  const colors = createColors(options.color);
  const entries = Object.entries(subject.args ?? {}) as Array<[string, ArgDef]>;
  const positionals = entries.filter(([, definition]) => definition.type === 'positional');
  const flags = entries.filter(([, definition]) => definition.type !== 'positional');
  const usage = [subject.name, flags.length > 0 ? '[OPTIONS]' : '', ...positionals.map(([name, definition]) => positionalLabel(name, definition))];
  if (subject.commands) usage.push('<COMMAND>');
  const lines = [subject.description, '', `${colors.bold('USAGE')}  ${usage.filter(Boolean).join(' ')}`, ''];
  const section = (title: string, rows: Array<[string, string]>) => {
    if (rows.length === 0) return;
    const width = Math.max(...rows.map(([left]) => left.length));
    lines.push(colors.bold(title), ...rows.map(([left, right]) => `  ${colors.cyan(left.padEnd(width))}  ${right}`), '');
  };
  section(
    'ARGUMENTS',
    positionals.map(([name, definition]) => [name.toUpperCase(), definition.description ?? '']),
  );
  section(
    'OPTIONS',
    flags.map(([name, definition]) => [flagLabel(name, definition), definition.description ?? '']),
  );
  section(
    'COMMANDS',
    (subject.commands ?? []).map((command) => [command.name, command.description]),
  );
  if (subject.commands) lines.push(`Use ${subject.name} <COMMAND> --help for a command's options.`, '');
  return `${lines.join('\n')}\n`;
}

/** `someFlag` → `some-flag`: how flags are spelled on the command line. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function positionalLabel(name: string, definition: ArgDef): string {
  const label = name.toUpperCase();
  return definition.required === false ? `[${label}]` : `<${label}>`;
}

function flagLabel(name: string, definition: ArgDef): string {
  const aliases = ('alias' in definition ? [definition.alias ?? []].flat() : []).filter((alias) => alias.length === 1);
  const value = definition.type === 'boolean' ? '' : ` ${'valueHint' in definition && definition.valueHint ? definition.valueHint : 'VALUE'}`;
  return [...aliases.map((alias) => `-${alias}`), `--${kebabCase(name)}`].join(', ') + value;
}
