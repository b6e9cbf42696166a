// Preload (`node --import ./bench/memory-sampler.mjs dist/cli/main.js run …`) that samples process.memoryUsage()
// every SEXTANT_BENCH_SAMPLE_MS (default 100) ms and, at exit, prints the samples and the peak on stderr as one line
// "memory-samples <json>". For finding out what makes up the peak RSS (V8 heap vs. buffers vs. the rest).
import { performance } from 'node:perf_hooks';

const every = Number(process.env.SEXTANT_BENCH_SAMPLE_MS ?? 100);
const samples = [];
const mb = (bytes) => Math.round(bytes / 2 ** 20);
const take = () => {
  const usage = process.memoryUsage();
  samples.push({
    t: Math.round(performance.now()),
    rss: mb(usage.rss),
    heapUsed: mb(usage.heapUsed),
    heapTotal: mb(usage.heapTotal),
    external: mb(usage.external),
    arrayBuffers: mb(usage.arrayBuffers),
  });
};
const timer = setInterval(take, every);
timer.unref();
process.on('exit', () => {
  take();
  const peak = samples.reduce((best, sample) => (sample.rss > best.rss ? sample : best), samples[0]);
  process.stderr.write(`memory-samples ${JSON.stringify({ peak, maxRSSkB: process.resourceUsage().maxRSS, samples })}\n`);
});
