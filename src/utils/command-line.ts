import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** `command args…` as one line a POSIX shell would run as given (arguments with spaces or quotes single-quoted). */
export function formatCommandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map((part) => (/^[\w@%+=:,./<>-]+$/.test(part) ? part : `'${part.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/**
 * Where `command` would be found when spawned: a name is looked up on `env.PATH`, a path (it holds a `/`) is taken
 * as it is. `undefined` when there is no executable file there.
 */
export async function findExecutable(command: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const executable = (path: string) =>
    access(path, constants.X_OK).then(
      () => true,
      () => false,
    );
  if (command.includes('/')) {
    const path = isAbsolute(command) ? command : resolve(command);
    return (await executable(path)) ? path : undefined;
  }
  for (const folder of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(folder, command);
    if (await executable(candidate)) return candidate;
  }
  return undefined;
}
