import { readFile } from 'node:fs/promises';
import { DataError, type JsonValue } from '../spec/index.js';

type JsonObject = { readonly [key: string]: JsonValue };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

async function readUtf8(path: string): Promise<string> {
  const bytes = await readFile(path).catch((error: unknown) => {
    throw new DataError({ path, message: `cannot read ${path}: ${(error as Error).message}`, cause: error });
  });
  try {
    return strictUtf8.decode(bytes);
  } catch (error) {
    throw new DataError({ path, message: `${path} is not valid UTF-8 text`, cause: error });
  }
}

/**
 * Read a JSON-lines file: one JSON object per non-blank line, in file order (Python's `json.loads(line)` per line).
 * A line that is not a JSON object fails with a `DataError` naming the file and the 1-based line number.
 */
export async function readJsonLines(path: string): Promise<JsonObject[]> {
  const content = await readUtf8(path);
  const records: JsonObject[] = [];
  const lines = content.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DataError({ path, message: `${path}:${index + 1}: not valid JSON (${(error as Error).message})`, cause: error });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DataError({ path, message: `${path}:${index + 1}: expected a JSON object, found ${Array.isArray(value) ? 'an array' : typeof value}` });
    }
    records.push(value as JsonObject);
  });
  return records;
}

/** Read a whole JSON file (UTF-8, strict). */
export async function readJsonFile(path: string): Promise<JsonValue> {
  const content = await readUtf8(path);
  try {
    return JSON.parse(content) as JsonValue;
  } catch (error) {
    throw new DataError({ path, message: `${path} is not valid JSON: ${(error as Error).message}`, cause: error });
  }
}

/** Read a whole text file (UTF-8, strict), e.g. a prompt file. */
export async function readTextFile(path: string): Promise<string> {
  return readUtf8(path);
}

/**
 * A required string field of a JSON record, or a `DataError` naming file, line and field.
 * `line` is 1-based.
 */
export function requireStringField(record: JsonObject, field: string, where: { path: string; line: number }): string {
  const value = record[field];
  if (typeof value !== 'string') {
    throw new DataError({
      path: where.path,
      message: `${where.path}:${where.line}: field "${field}" must be a string, found ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
    });
  }
  return value;
}
