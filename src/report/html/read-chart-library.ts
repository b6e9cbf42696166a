import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError } from '../../spec/index.js';

/**
 * The installed Chart.js UMD bundle (`chart.js/dist/chart.umd.min.js`, ~210 KB), read at report time so the page can
 * inline it. Throws a {@link DataError} when the `chart.js` dependency is not installed.
 */
export async function readChartLibrary(): Promise<string> {
  let path: string;
  try {
    // The package exports no path to its UMD bundle; it sits beside the CommonJS entry.
    path = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
  } catch (error) {
    throw new DataError({ path: 'chart.js', message: 'the chart.js package is not installed (it is a dependency of sextant: reinstall)', cause: error });
  }
  return readFile(path, 'utf8').catch((error: unknown) => {
    throw new DataError({ path, message: `cannot read Chart.js's bundle at ${path}`, cause: error });
  });
}
