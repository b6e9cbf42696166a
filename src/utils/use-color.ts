/**
 * Whether text written to `stream` may carry ANSI colour codes: `FORCE_COLOR` (any value but `0`/`false`) says yes,
 * `NO_COLOR` (any non-empty value) says no, otherwise only a terminal (`isTTY`) whose `TERM` is not `dumb`.
 */
export function useColor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force.toLowerCase() !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (force !== undefined) return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}
