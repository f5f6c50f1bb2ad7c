import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { EXTENSION_ROOT, generatedConfiguration } from '../tools/syncSettings';

const pkg = JSON.parse(fs.readFileSync(path.join(EXTENSION_ROOT, 'package.json'), 'utf8'));
const source = fs.readFileSync(path.join(EXTENSION_ROOT, 'src', 'extension.ts'), 'utf8');

test("package.json's settings are generated from Aura's schema (npm run sync-settings)", () => {
  assert.deepEqual(pkg.contributes.configuration, generatedConfiguration());
  const keys = Object.keys(pkg.contributes.configuration.properties);
  for (const key of ['aura.rules.thresholds.cyclomatic', 'aura.git.blame_hover', 'aura.ai.privacy.allow_remote', 'aura.server.path']) {
    assert.ok(keys.includes(key), key);
  }
});

test('every command the extension registers is contributed, and every contributed one is registered', () => {
  const registered = new Set([...source.matchAll(/'(aura\.client\.[A-Za-z]+)':/g)].map((m) => m[1]));
  const contributed = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));
  assert.deepEqual([...contributed].sort(), [...registered].sort());
  for (const menu of Object.values(pkg.contributes.menus) as { command: string }[][]) {
    for (const item of menu) assert.ok(contributed.has(item.command), item.command);
  }
});

test("the server's commands are all reachable from the extension", () => {
  const serverCommands = fs.readFileSync(path.join(EXTENSION_ROOT, '..', 'server', 'src', 'lsp', 'commands.rs'), 'utf8');
  const consts = new Map(
    [...fs.readFileSync(path.join(EXTENSION_ROOT, '..', 'server', 'src', 'lsp', 'ai.rs'), 'utf8').matchAll(/const (\w+): &str = "(aura\.\w+)"/g),
     ...fs.readFileSync(path.join(EXTENSION_ROOT, '..', 'server', 'src', 'lsp', 'git.rs'), 'utf8').matchAll(/const (\w+): &str = "(aura\.\w+)"/g)]
      .map((m) => [m[1], m[2]]),
  );
  const advertised = [...serverCommands.split('pub(crate) const ALL')[1].split('];')[0].matchAll(/::(\w+),/g)].map((m) => consts.get(m[1]));
  assert.ok(advertised.length >= 9, `parsed ${advertised.length} server commands`);
  // Reached through lenses (functionMetrics) or feedback recorded by the server itself.
  const viaServer = new Set(['aura.functionMetrics', 'aura.feedback']);
  for (const command of advertised) {
    if (!command || viaServer.has(command)) continue;
    assert.ok(source.includes(`'${command}'`), `${command} has no command in the extension`);
  }
});
