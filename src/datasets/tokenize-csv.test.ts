import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { tokenizeCsv } from './tokenize-csv.js';

const dataRoot = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** csv-parse's reading of the same text, in tokenizeCsv's shape (the slow path it must agree with). */
function csvParseRows(text: string): Array<{ fields: string[]; line: number }> {
  const records = parse(text, { bom: true, relax_column_count: true, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  let nextLine = 1;
  return records.map(({ record, info }) => {
    const row = { fields: record, line: nextLine };
    nextLine = info.lines + 1;
    return row;
  });
}

async function csvFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.csv')).map((entry) => join(entry.parentPath, entry.name));
}

describe('tokenizeCsv', () => {
  it('agrees with csv-parse on plain text: quotes, doubled quotes, newlines in fields, empty fields, BOM, no final newline', () => {
    const texts = ['h1,h2\n"a\nb",2\n3,4\n', '\uFEFFid,q\n0,"say ""hi"""\n1,""\n', 'a,b,\n,,\n"","x"', 'single\nrow', '"multi\n\nline\n",end\nnext,"a,b"\n'];
    for (const text of texts) expect(tokenizeCsv(text), JSON.stringify(text)).toEqual(csvParseRows(text));
  });

  it('leaves to csv-parse what is not plain: an empty line, a stray or open quote, text after a closing quote', () => {
    for (const text of ['a,b\n\nc,d\n', 'a,b"c\n', '"open,1\n', '"closed"x,1\n', 'a\n\n']) expect(tokenizeCsv(text), JSON.stringify(text)).toBeUndefined();
  });

  it('reads every CSV file of the shared data as csv-parse does (rows, fields and starting lines)', async () => {
    const files = [...(await csvFiles(join(dataRoot, 'ceval'))), ...(await csvFiles(join(dataRoot, 'cmmlu'))), ...(await csvFiles(join(dataRoot, 'mmlu')))];
    expect(files.length).toBeGreaterThan(300);
    const leftToCsvParse: string[] = [];
    for (const file of files) {
      const text = (await readFile(file, 'utf8')).replace(/\r\n?/g, '\n');
      const tokens = tokenizeCsv(text);
      if (tokens === undefined) leftToCsvParse.push(file);
      else expect(tokens, file).toEqual(csvParseRows(text));
    }
    // The fast path must be the one the real data takes, or it saves nothing; what it leaves (an MMLU val file with
    // a quote inside an unquoted field) csv-parse refuses too, so the run's message is csv-parse's.
    expect(leftToCsvParse.filter((file) => !file.includes('/val/'))).toEqual([]);
    for (const file of leftToCsvParse) expect(() => csvParseRows(readFileSync(file, 'utf8').replace(/\r\n?/g, '\n')), file).toThrow(/Invalid Opening Quote/);
  }, 60_000);
});
