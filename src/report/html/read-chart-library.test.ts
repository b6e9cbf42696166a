import { describe, expect, it } from 'vitest';
import { readChartLibrary } from './read-chart-library.js';

describe('readChartLibrary', () => {
  it('reads the installed Chart.js 4.6.1 UMD bundle, which defines the Chart global', async () => {
    const source = await readChartLibrary();
    expect(source).toContain('Chart.js v4.6.1');
    expect(source.length).toBeGreaterThan(150_000);
    expect(source.length).toBeLessThan(300_000);
    expect(source).not.toMatch(/<\/script/i);
  });
});
