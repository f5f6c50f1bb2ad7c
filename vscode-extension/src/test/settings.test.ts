import * as assert from 'node:assert/strict';
import { test } from 'node:test';

import { CLIENT_SETTINGS, explicitSettings, SchemaNode, settingsFromSchema } from '../settings';

const schema: SchemaNode = {
  properties: {
    diagnostics: { $ref: '#/$defs/Diagnostics', description: 'Diagnostics.', default: { enable: true } },
    check: { $ref: '#/$defs/Check', default: { fail_on: 'error' } },
    ai: { $ref: '#/$defs/Ai', default: {} },
  },
  $defs: {
    Diagnostics: {
      type: 'object',
      properties: {
        enable: { type: 'boolean', description: 'Publish diagnostics.', default: true },
        debounce_ms: { type: 'integer', minimum: 0, maximum: 5000, default: 50, format: 'uint64' },
      },
    },
    Check: { type: 'object', properties: { fail_on: { $ref: '#/$defs/FailOn', description: 'Lowest.', default: 'error' } } },
    FailOn: {
      description: 'Severity.',
      oneOf: [
        { type: 'string', const: 'error', description: 'Errors only.' },
        { type: 'string', const: 'never', description: 'Never.' },
      ],
    },
    Ai: {
      type: 'object',
      properties: {
        providers: { type: 'object', additionalProperties: { $ref: '#/$defs/Provider' }, default: {} },
        privacy: { $ref: '#/$defs/Privacy', default: {} },
      },
    },
    Provider: { type: 'object', properties: { url: { type: ['string', 'null'], default: null } } },
    Privacy: { type: 'object', properties: { allow_remote: { type: 'boolean', default: false } } },
  },
};

test('every schema leaf becomes one dotted setting with its type, default and bounds', () => {
  const settings = settingsFromSchema(schema);
  assert.equal(settings['aura.diagnostics.enable'].type, 'boolean');
  assert.equal(settings['aura.diagnostics.enable'].default, true);
  assert.equal(settings['aura.diagnostics.enable'].markdownDescription, 'Publish diagnostics.');
  assert.deepEqual(
    [settings['aura.diagnostics.debounce_ms'].minimum, settings['aura.diagnostics.debounce_ms'].maximum],
    [0, 5000],
  );
  assert.equal(settings['aura.diagnostics'], undefined, 'objects with properties are walked, not settings');
});

test('enums come from oneOf consts, with their descriptions', () => {
  const failOn = settingsFromSchema(schema)['aura.check.fail_on'];
  assert.deepEqual(failOn.enum, ['error', 'never']);
  assert.deepEqual(failOn.enumDescriptions, ['Errors only.', 'Never.']);
  assert.equal(failOn.markdownDescription, 'Lowest.', "the property's description wins over the definition's");
});

test('maps stay one object setting with refs inlined; privacy and providers are machine-scoped', () => {
  const settings = settingsFromSchema(schema);
  const providers = settings['aura.ai.providers'];
  assert.equal(providers.type, 'object');
  assert.deepEqual(providers.additionalProperties, {
    type: 'object',
    properties: { url: { type: ['string', 'null'], default: null } },
  });
  assert.equal(providers.scope, 'machine');
  assert.equal(settings['aura.ai.privacy.allow_remote'].scope, 'machine');
  assert.equal(settings['aura.diagnostics.enable'].scope, undefined);
});

test('the client settings are added and never sent to the server', () => {
  const settings = settingsFromSchema(schema);
  for (const key of Object.keys(CLIENT_SETTINGS)) assert.ok(settings[key], key);
  const sent = explicitSettings(Object.keys(settings), (key) =>
    key === 'server.path' ? { globalValue: '/usr/bin/aura' } : undefined,
  );
  assert.deepEqual(sent, {});
});

test('only values the user set are sent, nested, the most specific scope winning', () => {
  const sent = explicitSettings(
    ['aura.diagnostics.enable', 'aura.diagnostics.debounce_ms', 'aura.check.fail_on', 'aura.ai.privacy.allow_remote'],
    (key) =>
      ({
        'diagnostics.debounce_ms': { globalValue: 100, workspaceValue: 20 },
        'check.fail_on': { workspaceFolderValue: 'never', globalValue: 'error' },
        'diagnostics.enable': {},
      })[key],
  );
  assert.deepEqual(sent, { diagnostics: { debounce_ms: 20 }, check: { fail_on: 'never' } });
});

test('an unresolved reference is an error, not a silently missing setting', () => {
  assert.throws(() => settingsFromSchema({ properties: { x: { $ref: '#/$defs/Nope' } } }), /unresolved/);
});
