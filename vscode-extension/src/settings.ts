// Aura's settings in VS Code: generated from the server's JSON schema
// (crates/aura-config/config.schema.json), never written by hand, and sent to
// the server as only the values the user set, so `.aura/config.toml` still
// applies wherever VS Code holds a default.

/** A JSON schema node, as far as the generator reads it. */
export interface SchemaNode {
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
  items?: unknown;
  oneOf?: SchemaNode[];
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  format?: string;
}

/** One entry of `contributes.configuration.properties`. */
export interface VsSetting {
  type?: string | string[];
  default?: unknown;
  markdownDescription?: string;
  enum?: unknown[];
  enumDescriptions?: string[];
  minimum?: number;
  maximum?: number;
  items?: unknown;
  additionalProperties?: unknown;
  scope?: string;
  order?: number;
}

/**
 * Settings that could change where code goes (remote models, privacy) are
 * machine-scoped: a workspace's `.vscode/settings.json` cannot turn them on.
 */
const MACHINE_SCOPED = [/^aura\.ai\.providers$/, /^aura\.ai\.privacy\./, /^aura\.ai\.roles\./];

/** Settings that belong to the extension, not to the server. */
export const CLIENT_SETTINGS: Record<string, VsSetting> = {
  'aura.server.path': {
    type: 'string',
    default: '',
    markdownDescription:
      'Path to the `aura` executable. Empty: `aura` on `PATH` (install it with `cargo install --path server`).',
    scope: 'machine-overridable',
    order: 0,
  },
  'aura.server.extraArgs': {
    type: 'array',
    items: { type: 'string' },
    default: [],
    markdownDescription: 'Extra arguments after `aura lsp`, such as `["--log-file", "/tmp/aura.log"]`.',
    scope: 'machine-overridable',
    order: 1,
  },
  'aura.trace.server': {
    type: 'string',
    enum: ['off', 'messages', 'verbose'],
    default: 'off',
    markdownDescription: 'Log the protocol messages between VS Code and Aura in the "Aura" output channel.',
    order: 2,
  },
};

function resolve(root: SchemaNode, node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.replace('#/$defs/', '');
  const target = root.$defs?.[name];
  if (!target) throw new Error(`schema: unresolved ${node.$ref}`);
  // The referring node's description and default win over the definition's.
  return { ...target, ...node, $ref: undefined };
}

function leaf(root: SchemaNode, node: SchemaNode, key: string): VsSetting {
  const resolved = resolve(root, node);
  const setting: VsSetting = {};
  if (resolved.oneOf && resolved.oneOf.every((o) => o.const !== undefined)) {
    setting.type = 'string';
    setting.enum = resolved.oneOf.map((o) => o.const);
    setting.enumDescriptions = resolved.oneOf.map((o) => o.description ?? '');
  } else if (resolved.type !== undefined) {
    setting.type = resolved.type;
  }
  if (node.default !== undefined) setting.default = node.default;
  if (resolved.description) setting.markdownDescription = resolved.description;
  if (resolved.minimum !== undefined) setting.minimum = resolved.minimum;
  if (resolved.maximum !== undefined) setting.maximum = resolved.maximum;
  if (resolved.items !== undefined) setting.items = resolved.items;
  if (resolved.additionalProperties !== undefined) {
    setting.additionalProperties = inlineRefs(root, resolved.additionalProperties);
  }
  if (MACHINE_SCOPED.some((re) => re.test(key))) setting.scope = 'machine';
  return setting;
}

/** VS Code's settings UI does not follow `$ref`s into `$defs`: inline them. */
function inlineRefs(root: SchemaNode, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => inlineRefs(root, v));
  if (value && typeof value === 'object') {
    const node = value as SchemaNode;
    const resolved = node.$ref ? resolve(root, node) : node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(resolved)) {
      if (k === '$ref' || v === undefined) continue;
      out[k] = inlineRefs(root, v);
    }
    return out;
  }
  return value;
}

/**
 * `contributes.configuration.properties` for the schema: one `aura.a.b`
 * setting per leaf; objects with named properties are walked, maps (like
 * `ai.providers`) stay one object-valued setting.
 */
export function settingsFromSchema(schema: SchemaNode): Record<string, VsSetting> {
  const out: Record<string, VsSetting> = { ...CLIENT_SETTINGS };
  let order = Object.keys(CLIENT_SETTINGS).length;
  const walk = (node: SchemaNode, prefix: string) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const key = `${prefix}.${name}`;
      const resolved = resolve(schema, child);
      if (resolved.properties) {
        walk(resolved, key);
      } else {
        out[key] = { ...leaf(schema, child, key), order: order++ };
      }
    }
  };
  walk(schema, 'aura');
  return out;
}

/** What `WorkspaceConfiguration.inspect` says about one key. */
export interface Inspected {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The `aura` section with only the values the user set (the most specific
 * scope wins), nested as the server's config file is. Client-only settings
 * are left out.
 */
export function explicitSettings(
  keys: string[],
  inspect: (key: string) => Inspected | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const relative = key.replace(/^aura\./, '');
    if (`aura.${relative}` in CLIENT_SETTINGS) continue;
    const seen = inspect(relative);
    const value = seen?.workspaceFolderValue ?? seen?.workspaceValue ?? seen?.globalValue;
    if (value === undefined) continue;
    const parts = relative.split('.');
    let cursor = out;
    for (const part of parts.slice(0, -1)) {
      if (typeof cursor[part] !== 'object' || cursor[part] === null) cursor[part] = {};
      cursor = cursor[part] as Record<string, unknown>;
    }
    cursor[parts[parts.length - 1]] = value;
  }
  return out;
}
