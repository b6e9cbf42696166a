// Preload (`node --import ./bench/report-max-rss.mjs …`) that prints the process's peak resident set size on stderr
// at exit, as "maxRSS <kilobytes>". run-bench.mjs uses it when GNU /usr/bin/time is not installed.
process.on('exit', () => {
  process.stderr.write(`maxRSS ${process.resourceUsage().maxRSS}\n`);
});
