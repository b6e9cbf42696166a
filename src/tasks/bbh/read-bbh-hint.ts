import { DataError } from '../../spec/index.js';
import { readTextFile } from '../../datasets/read-json-records.js';

/**
 * A task's chain-of-thought prompt as OpenCompass ships it (`lib_prompt/<task>.txt`): the BIG-Bench-Hard file
 * (`cot-prompts/<task>.txt` in the data root) without its first two lines, the canary and the `-----` rule.
 */
export async function readBbhHint(path: string): Promise<string> {
  const text = await readTextFile(path);
  const lines = text.split('\n');
  if (lines.length < 3 || !(lines[0] as string).includes('canary') || !(lines[1] as string).startsWith('-----')) {
    throw new DataError({ path, message: `${path}: expected BIG-Bench-Hard's canary line and "-----" line before the prompt` });
  }
  return lines.slice(2).join('\n');
}
