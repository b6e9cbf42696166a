#!/usr/bin/env node
/**
 * `npm test`'s pretest: the viewer's browser test drives Debian's Chromium at /usr/bin/chromium. When it is missing,
 * install it with apt-get (as root, non-interactive); when that cannot be done here, stop with one message saying
 * what to install. Exits 0 when Chromium is there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = '/usr/bin/chromium';
const manual = 'install it with `sudo apt-get install chromium` (Debian/Ubuntu; fonts-noto-cjk makes the Chinese text render), then run `npm test` again';

if (existsSync(chromium)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !onPath('apt-get')) {
  stop(`the viewer's browser test needs Chromium at ${chromium}, which is missing: ${manual}.`);
}

console.error(`ensure-chromium: ${chromium} is missing; installing Debian's chromium with apt-get (the viewer's browser test needs it)`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['update', '-qq'],
  ['install', '-y', '-qq', 'chromium'],
]) {
  const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (result.status !== 0) {
    stop(`\`apt-get ${args.join(' ')}\` failed (exit ${result.status ?? result.signal}), so Chromium is still missing at ${chromium}: ${manual}.`);
  }
}
if (!existsSync(chromium)) stop(`apt-get installed chromium, but ${chromium} is still missing: ${manual}.`);
console.error(`ensure-chromium: installed ${chromium}`);

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function stop(message) {
  console.error(`ensure-chromium: ${message}`);
  process.exit(1);
}
