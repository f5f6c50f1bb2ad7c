// Finding the `aura` executable: the `aura.server.path` setting, else `aura`
// on PATH. Pure, so it is tested without VS Code.

import * as path from 'node:path';


export type Resolved = { ok: true; command: string } | { ok: false; message: string };

/**
 * Resolve the server command. `isExecutable` is injected (fs in the
 * extension, a fake in tests); `pathEnv` is `process.env.PATH`.
 */
export function resolveServer(
  setting: string | undefined,
  pathEnv: string | undefined,
  isExecutable: (file: string) => boolean,
  platform: string = process.platform,
): Resolved {
  const configured = setting?.trim();
  if (configured) {
    if (isExecutable(configured)) return { ok: true, command: configured };
    return {
      ok: false,
      message: `Aura: aura.server.path is set to "${configured}", which is not an executable file.`,
    };
  }
  const names = platform === 'win32' ? ['aura.exe', 'aura.cmd', 'aura'] : ['aura'];
  const separator = platform === 'win32' ? ';' : ':';
  for (const dir of (pathEnv ?? '').split(separator)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return { ok: true, command: candidate };
    }
  }
  return {
    ok: false,
    message:
      'Aura: the `aura` executable was not found on PATH. Install it (`cargo install --path server`) ' +
      'or set aura.server.path.',
  };
}
