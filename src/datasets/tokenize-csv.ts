/** A record of a well-formed CSV text, with the 1-based line where it starts. */
export interface CsvToken {
  readonly fields: string[];
  readonly line: number;
}

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const QUOTE = 0x22;

/**
 * Split LF-only CSV text (comma, double quote, `""` escapes) into records, about ten times faster than csv-parse,
 * or give `undefined` for anything outside the plain case — an empty line, a quote inside an unquoted field, text
 * after a closing quote, a quote left open — so that the caller parses it with csv-parse and keeps csv-parse's
 * rows and error messages exactly. A leading BOM is dropped; a final newline ends the last record.
 */
export function tokenizeCsv(text: string): CsvToken[] | undefined {
  const records: CsvToken[] = [];
  const length = text.length;
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (position < length) {
    if (text.charCodeAt(position) === NEWLINE) return undefined;
    const fields: string[] = [];
    const startLine = line;
    for (;;) {
      let field: string;
      if (text.charCodeAt(position) === QUOTE) {
        field = '';
        let from = position + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close === -1) return undefined;
          field += text.slice(from, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            field += '"';
            from = close + 2;
            continue;
          }
          for (let index = position + 1; index < close; index += 1) if (text.charCodeAt(index) === NEWLINE) line += 1;
          position = close + 1;
          break;
        }
        const next = text.charCodeAt(position);
        if (position < length && next !== COMMA && next !== NEWLINE) return undefined;
      } else {
        const start = position;
        let code = text.charCodeAt(position);
        while (position < length && code !== COMMA && code !== NEWLINE) {
          if (code === QUOTE) return undefined;
          position += 1;
          code = text.charCodeAt(position);
        }
        field = text.slice(start, position);
      }
      fields.push(field);
      if (position >= length) break;
      const separator = text.charCodeAt(position);
      position += 1;
      if (separator === NEWLINE) {
        line += 1;
        break;
      }
    }
    records.push({ fields, line: startLine });
  }
  return records;
}
