import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataError, EvalError } from '../spec/index.js';
import { parseCsvRecords, readCsvRecords } from './read-csv-records.js';

const dataRoot = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

describe('parseCsvRecords', () => {
  it('keys records by the header, in header order', () => {
    const records = parseCsvRecords('id,question,answer\n0,q,A\n', 'x.csv');
    expect(records).toEqual([{ id: '0', question: 'q', answer: 'A' }]);
    expect(Object.keys(records[0]!)).toEqual(['id', 'question', 'answer']);
  });

  it('keeps commas inside quoted fields', () => {
    expect(parseCsvRecords('a,b\n"1,2",3\n', 'x.csv')).toEqual([{ a: '1,2', b: '3' }]);
  });

  it('turns doubled quotes into one quote', () => {
    expect(parseCsvRecords('a,b\n"say ""hi""","x"\n', 'x.csv')).toEqual([{ a: 'say "hi"', b: 'x' }]);
  });

  it('keeps LF inside quoted fields with CRLF row ends (the C-Eval layout)', () => {
    const content = 'id,explanation\r\n0,"1. first\n2. second"\r\n1,plain\r\n';
    expect(parseCsvRecords(content, 'x.csv')).toEqual([
      { id: '0', explanation: '1. first\n2. second' },
      { id: '1', explanation: 'plain' },
    ]);
  });

  it('normalises CRLF and bare CR inside quoted fields to LF (Python universal newlines)', () => {
    const content = 'id,text\r\n0,"line1\r\nline2\rline3"\r\n';
    expect(parseCsvRecords(content, 'x.csv')).toEqual([{ id: '0', text: 'line1\nline2\nline3' }]);
  });

  it('gives the same rows with or without a trailing newline', () => {
    expect(parseCsvRecords('a,b\r\n1,2\r\n', 'x.csv')).toEqual(parseCsvRecords('a,b\r\n1,2', 'x.csv'));
    expect(parseCsvRecords('a,b\n1,2', 'x.csv')).toEqual([{ a: '1', b: '2' }]);
  });

  it('strips a UTF-8 BOM from the first header name', () => {
    const records = parseCsvRecords('\uFEFFid,question\n0,q\n', 'x.csv');
    expect(Object.keys(records[0]!)).toEqual(['id', 'question']);
    expect(records[0]!.id).toBe('0');
  });

  it('keeps an empty quoted field and empty unquoted fields as ""', () => {
    expect(parseCsvRecords('a,b,c\n"",,x\n', 'x.csv')).toEqual([{ a: '', b: '', c: 'x' }]);
  });

  it('an empty or header-only file is a DataError naming the file (not a dataset scored as nan)', () => {
    expect(() => parseCsvRecords('', 'empty.csv')).toThrow(/empty\.csv is empty/);
    expect(() => parseCsvRecords('\uFEFF\r\n', 'blank.csv')).toThrow(/blank\.csv is empty/);
    expect(() => parseCsvRecords('id,question\r\n', 'x.csv')).toThrow(/x\.csv has a header but no rows/);
  });

  it('a header naming a column twice is a DataError naming the column (the later would overwrite the earlier)', () => {
    expect(() => parseCsvRecords('id,question,A,A,answer\n0,q,a,b,A\n', 'dup.csv')).toThrow(
      /dup\.csv line 1: column "A" appears twice in the header \(columns 3 and 4\)/,
    );
  });

  it('a file cut after its last comma is a DataError naming the line; a row with too few fields names its line', () => {
    expect(() => parseCsvRecords('id,question,answer\n0,q,A\n1,r,', 'cut.csv')).toThrow(/cut\.csv line 3 ends with a comma and no newline/);
    expect(() => parseCsvRecords('id,question,answer\n0,q,A\n1,r', 'short.csv')).toThrow(/short\.csv is not valid CSV: .*line 3/);
    // An empty last field in a complete file is data, not a cut.
    expect(parseCsvRecords('id,question,answer\n0,q,\n', 'ok.csv')).toEqual([{ id: '0', question: 'q', answer: '' }]);
  });

  it('a ragged row is a DataError naming the path', () => {
    let caught: unknown;
    try {
      parseCsvRecords('a,b,c\n1,2,3\n4,5\n', '/data/ceval/val/broken_val.csv');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DataError);
    expect(EvalError.isInstance(caught)).toBe(true);
    const dataError = caught as DataError;
    expect(dataError.name).toBe('EVAL_DataError');
    expect(dataError.path).toBe('/data/ceval/val/broken_val.csv');
    expect(dataError.message).toContain('/data/ceval/val/broken_val.csv');
  });

  it('an unterminated quote is a DataError naming the path', () => {
    expect(() => parseCsvRecords('a,b\n"open,2\n', 'bad.csv')).toThrow(/bad\.csv/);
  });
});

describe('readCsvRecords', () => {
  it('reads val/computer_network_val.csv: 19 rows, header id,question,A,B,C,D,answer', async () => {
    const records = await readCsvRecords(join(dataRoot, 'ceval', 'val', 'computer_network_val.csv'));
    expect(records).toHaveLength(19);
    for (const record of records) expect(Object.keys(record)).toEqual(['id', 'question', 'A', 'B', 'C', 'D', 'answer']);
    expect(records.map((record) => record.id)).toEqual(Array.from({ length: 19 }, (_, index) => String(index)));
    for (const record of records) {
      expect(record.answer).toMatch(/^[ABCD]$/);
      expect(Object.values(record).join('')).not.toContain('\r');
    }
  });

  it('reads a dev file with multi-line explanations and no CR left', async () => {
    const records = await readCsvRecords(join(dataRoot, 'ceval', 'dev', 'computer_network_dev.csv'));
    expect(records).toHaveLength(5);
    expect(Object.keys(records[0]!)).toEqual(['id', 'question', 'A', 'B', 'C', 'D', 'answer', 'explanation']);
    expect(records[0]!.explanation).toContain('\n2. ');
    expect(records[0]!.explanation).not.toContain('\r');
  });

  it('a missing file is a DataError naming the path', async () => {
    const missing = join(tmpdir(), 'sextant-no-such-dir', 'nope.csv');
    await expect(readCsvRecords(missing)).rejects.toMatchObject({ name: 'EVAL_DataError', path: missing });
  });

  it('Latin-1 or GBK bytes are a DataError naming the line and byte (no U+FFFD in prompts)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sextant-csv-'));
    try {
      const latin1 = join(dir, 'latin1.csv');
      await writeFile(latin1, Buffer.concat([Buffer.from('id,question\n0,ok\n1,caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
      await expect(readCsvRecords(latin1)).rejects.toThrow(/latin1\.csv line 3 \(byte 22\) is not UTF-8 \(byte 0xe9\)/);
      const gbk = join(dir, 'gbk.csv');
      // "中文" in GBK: D6 D0 CE C4.
      await writeFile(gbk, Buffer.concat([Buffer.from('id,question\n0,'), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from('\n')]));
      await expect(readCsvRecords(gbk)).rejects.toMatchObject({
        name: 'EVAL_DataError',
        path: gbk,
        message: expect.stringMatching(/gbk\.csv line 2 \(byte 14\) is not UTF-8/),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a CRLF file from disk like the in-memory parser', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sextant-csv-'));
    try {
      const path = join(dir, 'x.csv');
      await writeFile(path, 'id,text\r\n0,"a\r\nb"\r\n', 'utf8');
      expect(await readCsvRecords(path)).toEqual([{ id: '0', text: 'a\nb' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
