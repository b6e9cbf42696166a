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

  it('a header-only file has no records', () => {
    expect(parseCsvRecords('id,question\r\n', 'x.csv')).toEqual([]);
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
