import * as assert from 'node:assert/strict';
import { test } from 'node:test';

import { resolveServer } from '../server';

test('the configured path wins when it is executable', () => {
  const found = resolveServer('/opt/aura/bin/aura', '/usr/bin', (f) => f === '/opt/aura/bin/aura', 'linux');
  assert.deepEqual(found, { ok: true, command: '/opt/aura/bin/aura' });
});

test('a configured path that is not executable is a clear error, not a PATH fallback', () => {
  const found = resolveServer('/nope/aura', '/usr/bin', () => false, 'linux');
  assert.equal(found.ok, false);
  assert.match((found as { message: string }).message, /aura\.server\.path.*\/nope\/aura/);
});

test('otherwise the first aura on PATH', () => {
  const exists = new Set(['/home/me/.cargo/bin/aura', '/usr/local/bin/aura']);
  const found = resolveServer('', '/usr/bin::/home/me/.cargo/bin:/usr/local/bin', (f) => exists.has(f), 'linux');
  assert.deepEqual(found, { ok: true, command: '/home/me/.cargo/bin/aura' });
});

test('windows looks for aura.exe with ; separators', () => {
  const found = resolveServer(undefined, 'C:\\tools;C:\\bin', (f) => f.endsWith('aura.exe') && f.includes('bin'), 'win32');
  assert.equal(found.ok, true);
});

test('missing everywhere says how to install it', () => {
  const found = resolveServer(undefined, '/usr/bin', () => false, 'linux');
  assert.equal(found.ok, false);
  assert.match((found as { message: string }).message, /cargo install --path server/);
});
