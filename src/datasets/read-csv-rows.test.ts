import { describe, expect, it } from 'vitest';
import { parseCsvRows, rowError } from './read-csv-rows.js';

describe('parseCsvRows', () => {
  it('keeps every row with its starting line, counting the lines of quoted multi-line fields', () => {
    const rows = parseCsvRows('h1,h2\n"a\nb",2\n3,4\n', 'x.csv');
    expect(rows).toEqual([
      { fields: ['h1', 'h2'], line: 1 },
      { fields: ['a\nb', '2'], line: 2 },
      { fields: ['3', '4'], line: 4 },
    ]);
  });

  it('turns CRLF and CR into LF, also inside quoted fields (Python universal newlines)', () => {
    expect(parseCsvRows('"x\r\ny\rz",1\r\n', 'x.csv')).toEqual([{ fields: ['x\ny\nz', '1'], line: 1 }]);
  });

  it('lets rows have different lengths (loaders check the count and name the line)', () => {
    expect(parseCsvRows('a,b,c\nd\n', 'x.csv').map((row) => row.fields.length)).toEqual([3, 1]);
  });

  it('an unterminated quote is a DataError naming the file', () => {
    expect(() => parseCsvRows('"open,1\n', '/data/bad.csv')).toThrow(/\/data\/bad\.csv is not valid CSV/);
  });

  it('rowError is a DataError whose message starts with path:line', () => {
    expect(rowError({ path: '/d/f.csv', line: 7, message: 'expected 6 columns' })).toMatchObject({
      name: 'EVAL_DataError',
      path: '/d/f.csv',
      message: '/d/f.csv:7: expected 6 columns',
    });
  });
});
