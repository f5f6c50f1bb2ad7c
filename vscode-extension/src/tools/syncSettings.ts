// `npm run sync-settings`: regenerate package.json's settings from Aura's
// configuration schema. A unit test fails when package.json is stale.

import * as fs from 'node:fs';
import * as path from 'node:path';

import { settingsFromSchema } from '../settings';

export const EXTENSION_ROOT = path.resolve(__dirname, '..', '..');
export const SCHEMA_PATH = path.resolve(EXTENSION_ROOT, '..', 'crates', 'aura-config', 'config.schema.json');

export function generatedConfiguration(): { title: string; properties: ReturnType<typeof settingsFromSchema> } {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8'));
  return { title: 'Aura', properties: settingsFromSchema(schema) };
}

if (require.main === module) {
  const file = path.join(EXTENSION_ROOT, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  pkg.contributes.configuration = generatedConfiguration();
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
  console.log(`wrote ${Object.keys(pkg.contributes.configuration.properties).length} settings to package.json`);
}
