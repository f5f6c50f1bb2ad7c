// VS Code end to end, for real: code-server (VS Code 1.100.3) with the built
// .vsix installed, driven in headless Chromium by playwright-core. Checks that
// Aura's diagnostics reach the Problems panel, that a quick fix applies and
// that the status bar item shows the server running; saves screenshots.
//
//   node e2e/run.cjs --vsix aura-vscode.vsix --aura ../target/debug/aura --code-server e2e/.work/node_modules/code-server
//
// Exits 0 when every check passed, 1 otherwise (with a screenshot of the failure).

'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const here = __dirname;
const vsix = path.resolve(arg('vsix', path.join(here, '..', 'aura-vscode.vsix')));
const aura = path.resolve(arg('aura', path.join(here, '..', '..', 'target', 'debug', 'aura')));
const codeServer = path.resolve(arg('code-server', path.join(here, '.work', 'node_modules', 'code-server')));
const shots = path.resolve(arg('screenshots', path.join(here, 'screenshots')));
const browserPath = arg('chromium', '/usr/bin/chromium');
const { chromium } = require(path.join(here, '.work', 'node_modules', 'playwright-core'));

const FIXTURE = 'import os\n\n\ndef load(path):\n    try:\n        return open(path).read()\n    except:\n        return None\n';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForHttp(url, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${url} within ${ms} ms`);
}

function step(message) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
}

const started = Date.now();

async function main() {
  for (const [what, file] of [['vsix', vsix], ['aura', aura], ['code-server', codeServer], ['chromium', browserPath]]) {
    if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file}`);
  }
  fs.mkdirSync(shots, { recursive: true });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-vscode-e2e-'));
  const userData = path.join(root, 'user');
  const extensions = path.join(root, 'extensions');
  const workspace = path.join(root, 'workspace');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(path.join(workspace, '.aura'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'app.py'), FIXTURE);
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'extensions.ignoreRecommendations': true,
      'aura.server.path': aura,
    }),
  );
  const bin = path.join(codeServer, 'out', 'node', 'entry.js');
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  step(`installing ${path.basename(vsix)}`);
  execFileSync(process.execPath, [bin, ...common, '--install-extension', vsix], { stdio: 'inherit' });

  const port = await freePort();
  const config = path.join(root, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\n');
  const server = spawn(
    process.execPath,
    [bin, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--config', config, ...common, workspace],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_CONFIG_HOME: path.join(root, 'xdg') } },
  );
  const serverLog = fs.createWriteStream(path.join(shots, 'code-server.log'));
  server.stdout.pipe(serverLog);
  server.stderr.pipe(serverLog);
  let browser;
  let page;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60000);
    step(`code-server up on port ${port}`);
    browser = await chromium.launch({
      executablePath: browserPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    step('workbench loaded');

    // Quick Open races the file index: open the file from the Explorer.
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'app.py' });
    await row.waitFor({ timeout: 60000 });
    await row.dblclick();
    await page.locator('.monaco-editor .view-lines', { hasText: 'def load' }).waitFor({ timeout: 30000 });
    step('app.py open');

    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'AUR202' });
    await problem.first().waitFor({ timeout: 90000 });
    const problemText = (await problem.first().innerText()).replace(/\s+/g, ' ');
    step(`Problems panel: ${problemText}`);
    if (!/bare `?except:?`? also catches KeyboardInterrupt/.test(problemText)) {
      throw new Error(`unexpected problem text: ${problemText}`);
    }
    await page.screenshot({ path: path.join(shots, 'problems.png') });

    const statusItem = page.locator('.statusbar-item', { hasText: 'Aura' });
    await statusItem.first().waitFor({ timeout: 30000 });
    const statusLabel = (await statusItem.first().getAttribute('aria-label')) ?? (await statusItem.first().innerText());
    step(`status bar: ${statusLabel}`);

    // The quick fix, from the light bulb menu at the diagnostic.
    await problem.first().click();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+.');
    const action = page.locator('.action-widget .monaco-list-row', { hasText: 'Catch `Exception` instead' });
    await action.first().waitFor({ timeout: 30000 });
    await page.screenshot({ path: path.join(shots, 'quick-fix-menu.png') });
    // The menu is keyboard-driven (a pointer block covers it): move the
    // focus to the fix and press Enter, as a keyboard user would.
    for (let i = 0; i < 20; i++) {
      const focused = page.locator('.action-widget .monaco-list-row.focused');
      if (((await focused.getAttribute('aria-label').catch(() => '')) ?? '').includes('Catch `Exception` instead')) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines', { hasText: 'except Exception:' }).waitFor({ timeout: 30000 });
    step('quick fix applied: the editor shows `except Exception:`');
    await page
      .locator('.markers-panel .monaco-list-row', { hasText: 'AUR202' })
      .first()
      .waitFor({ state: 'detached', timeout: 30000 });
    step('AUR202 left the Problems panel');
    await page.screenshot({ path: path.join(shots, 'after-fix.png') });

    const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: 'cyclomatic' });
    await lens.first().waitFor({ timeout: 30000 });
    step(`code lens: ${(await lens.first().innerText()).trim()}`);

    // One of the extension's own commands, from the command palette.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('F1');
    await page.keyboard.type('Aura: Show the routing decision');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show the routing decision' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-box input').waitFor();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('write a pytest for this');
    await page.keyboard.press('Enter');
    const routed = page.locator('.monaco-editor .view-lines', { hasText: 'Aura routing' });
    await routed.first().waitFor({ timeout: 30000 });
    const routedText = (await routed.first().innerText()).replace(/\u00a0/g, ' ');
    const first = /\*\*(\d+) ([^*]+)\*\*/.exec(routedText);
    if (!first || first[1] !== '19') throw new Error(`routing document: ${routedText}`);
    step('command palette: routing decision opened (program 19 Unit Test Generation first)');
    await page.screenshot({ path: path.join(shots, 'routing.png') });
    step('all checks passed');
  } catch (error) {
    if (page) await page.screenshot({ path: path.join(shots, 'failure.png') }).catch(() => {});
    throw error;
  } finally {
    if (browser) await browser.close().catch(() => {});
    server.kill('SIGTERM');
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`FAIL: ${error.stack ?? error}`);
    process.exit(1);
  },
);
