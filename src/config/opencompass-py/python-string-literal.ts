/**
 * The value of one Python string literal token (`'a\n'`, `r"\d"`, `"""..."""`, `u'x'`), as Python reads it.
 * Byte strings and f-strings are refused by the caller; here `undefined` means "not a plain string literal".
 */
export function decodePythonString(token: string): { value: string } | { unsupported: string } {
  const match = /^([rRuUbBfF]{0,2})('''|"""|'|")/.exec(token);
  if (!match) return { unsupported: 'a string literal' };
  const prefix = (match[1] ?? '').toLowerCase();
  const quote = match[2] as string;
  if (prefix.includes('b')) return { unsupported: 'a bytes literal' };
  if (prefix.includes('f')) return { unsupported: 'an f-string' };
  const body = token.slice(prefix.length + quote.length, token.length - quote.length);
  return { value: prefix.includes('r') ? body : decodeEscapes(body) };
}

const simpleEscapes: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

// Python's escapes: \<newline> continues the line, \ooo octal, \xhh, \uXXXX, \UXXXXXXXX; an unknown escape keeps its backslash.
function decodeEscapes(body: string): string {
  return body.replace(/\\(\r\n|\n|[0-7]{1,3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/gs, (whole, escape: string) => {
    if (escape === '\n' || escape === '\r\n') return '';
    const simple = simpleEscapes[escape];
    if (simple !== undefined) return simple;
    if (/^[0-7]/.test(escape)) return String.fromCodePoint(Number.parseInt(escape, 8));
    if (/^[xuU]/.test(escape) && escape.length > 1) return String.fromCodePoint(Number.parseInt(escape.slice(1), 16));
    return whole;
  });
}
