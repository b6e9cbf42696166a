#!/usr/bin/env node
/**
 * `npm test`'s pretest: the Debian packages the tests drive for real. The viewer's browser test needs Chromium at
 * /usr/bin/chromium; the sandbox tests (HumanEval, MBPP, hostile programs) need bubblewrap's `bwrap`. What is
 * missing is installed with apt-get (as root, non-interactive, one `apt-get update` for all); when that cannot be
 * done here, stop with one message saying what to install. Exits 0 when everything is there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const packages = [
  { name: 'chromium', path: '/usr/bin/chromium', why: "the viewer's browser test", note: ' (fonts-noto-cjk makes the Chinese text render)' },
  { name: 'bubblewrap', path: '/usr/bin/bwrap', why: 'the sandbox tests (model-written programs)', note: '' },
];

const missing = packages.filter((entry) => !existsSync(entry.path));
if (missing.length === 0) process.exit(0);
const names = missing.map((entry) => entry.name).join(' ');
const manual = `install ${missing.length > 1 ? 'them' : 'it'} with \`sudo apt-get install ${names}\` (Debian/Ubuntu${missing.map((entry) => entry.note).join('')}), then run \`npm test\` again`;
const what = missing.map((entry) => `${entry.why} needs ${entry.name} at ${entry.path}`).join('; ');

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !onPath('apt-get')) stop(`${what}, which is missing: ${manual}.`);

console.error(`ensure-test-packages: ${what}, which is missing; installing Debian's ${names} with apt-get`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['update', '-qq'],
  ['install', '-y', '-qq', ...missing.map((entry) => entry.name)],
]) {
  const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (result.status !== 0)
    stop(
      `\`apt-get ${args.join(' ')}\` failed (exit ${result.status ?? result.signal}), so ${names} ${missing.length > 1 ? 'are' : 'is'} still missing: ${manual}.`,
    );
}
const still = missing.filter((entry) => !existsSync(entry.path));
if (still.length > 0) stop(`apt-get ran, but ${still.map((entry) => entry.path).join(', ')} ${still.length > 1 ? 'are' : 'is'} still missing: ${manual}.`);
console.error(`ensure-test-packages: installed ${names}`);

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function stop(message) {
  console.error(`ensure-test-packages: ${message}`);
  process.exit(1);
}
