// The Aura extension: starts `aura lsp` through vscode-languageclient, and
// adds what plain LSP cannot: commands for Aura's features, a status bar item
// (server state and model health), an output channel, a webview for
// pictures, and the settings generated from Aura's schema.

import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';

import { describe, pictureHtml, routeMarkdown, RouteResult } from './results';
import { resolveServer } from './server';
import { explicitSettings } from './settings';

const LANGUAGES = [
  'python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'rust', 'go', 'java',
  'c', 'cpp', 'csharp', 'ruby', 'php', 'shellscript',
];

interface ProviderStatus {
  name: string;
  state: 'healthy' | 'degraded' | 'open';
}

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let status: vscode.StatusBarItem;
let providers: ProviderStatus[] = [];
let extensionUri: vscode.Uri;

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The keys of every `aura.*` setting this extension contributes. */
function settingKeys(): string[] {
  const pkg = vscode.extensions.getExtension('aura-dev.aura-vscode')?.packageJSON;
  return Object.keys(pkg?.contributes?.configuration?.properties ?? {});
}

function serverSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('aura');
  return explicitSettings(settingKeys(), (key) => config.inspect(key));
}

function renderStatus(): void {
  const state = client?.state;
  const degraded = providers.filter((p) => p.state !== 'healthy');
  const [icon, name] =
    state === State.Running
      ? [degraded.length ? '$(warning)' : '$(check)', 'running']
      : state === State.Starting
        ? ['$(sync~spin)', 'starting']
        : ['$(circle-slash)', 'stopped'];
  status.text = `${icon} Aura`;
  const lines = [`Aura: ${name}`];
  for (const p of providers) lines.push(`model ${p.name}: ${p.state}`);
  if (!providers.length) lines.push('models: not used yet (run Aura: Doctor)');
  status.tooltip = lines.join('\n');
  status.backgroundColor = degraded.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
}

async function openSetupGuide(): Promise<void> {
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(extensionUri, 'README.md'));
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration('aura');
  const resolved = resolveServer(config.get<string>('server.path'), process.env.PATH, isExecutable);
  if (!resolved.ok) {
    output.appendLine(resolved.message);
    renderStatus();
    const choice = await vscode.window.showErrorMessage(resolved.message, 'Open setup guide', 'Open settings');
    if (choice === 'Open setup guide') await openSetupGuide();
    if (choice === 'Open settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'aura.server.path');
    }
    return;
  }
  const args = ['lsp', ...(config.get<string[]>('server.extraArgs') ?? [])];
  const serverOptions: ServerOptions = {
    run: { command: resolved.command, args, transport: TransportKind.stdio },
    debug: { command: resolved.command, args, transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    outputChannel: output,
    initializationOptions: serverSettings(),
    synchronize: { configurationSection: 'aura' },
    middleware: {
      workspace: {
        // Only what the user set: VS Code's defaults must not hide `.aura/config.toml`.
        configuration: (params) => params.items.map((item) => (item.section === 'aura' ? serverSettings() : null)),
      },
    },
  };
  client = new LanguageClient('aura', 'Aura', serverOptions, clientOptions);
  context.subscriptions.push(client.onDidChangeState(() => renderStatus()));
  context.subscriptions.push(
    client.onNotification('aura/status', (params: { providers?: ProviderStatus[] }) => {
      providers = params.providers ?? [];
      renderStatus();
    }),
  );
  renderStatus();
  try {
    await client.start();
  } catch (error) {
    output.appendLine(`Aura failed to start: ${String(error)}`);
    void vscode.window.showErrorMessage(`Aura failed to start: ${String(error)}`, 'Show log').then((c) => {
      if (c) output.show();
    });
  }
  renderStatus();
}

/** Run one of the server's commands; undefined when no server is running. */
async function serverCommand(command: string, args: unknown[] = []): Promise<unknown> {
  if (!client || client.state !== State.Running) {
    void vscode.window.showWarningMessage('Aura is not running (see the Aura output channel).');
    return undefined;
  }
  try {
    return await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  } catch (error) {
    void vscode.window.showErrorMessage(`Aura: ${command} failed: ${(error as Error).message ?? String(error)}`);
    return undefined;
  }
}

/** The AI request for the active editor: its selection, or the cursor line. */
function focusRequest(text?: string, program?: number | string): Record<string, unknown> | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('Aura: open a file first.');
    return undefined;
  }
  const selection = editor.selection;
  const range = selection.isEmpty ? editor.document.lineAt(selection.active.line).range : selection;
  return {
    uri: editor.document.uri.toString(),
    range: client!.code2ProtocolConverter.asRange(range),
    text,
    program,
  };
}

async function runProgram(text?: string, program?: number | string): Promise<void> {
  const request = focusRequest(text, program);
  if (!request) return;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Aura is working…', cancellable: false },
    async () => {
      const result = await serverCommand('aura.runProgram', [request]);
      if (result !== undefined) output.appendLine(`runProgram: ${describe('aura.runProgram', result)}`);
    },
  );
}

async function pickProgram(): Promise<void> {
  const text = await vscode.window.showInputBox({
    prompt: 'What should Aura do with the selection?',
    placeHolder: 'explain this, write tests, find the bug…',
  });
  if (!text) return;
  const request = focusRequest(text);
  if (!request) return;
  const routed = (await serverCommand('aura.route', [request])) as RouteResult | undefined;
  const programs = routed?.programs ?? [];
  if (!programs.length) return;
  const picked = await vscode.window.showQuickPick(
    programs.map((p) => ({
      label: `${p.number} ${p.name ?? ''}`,
      description: typeof p.score === 'number' ? `score ${p.score.toFixed(2)}` : undefined,
      detail: (p.reasons ?? []).map((r) => r.why).join(' · '),
      program: p.number,
    })),
    { title: 'Aura: programs for this request, best first' },
  );
  if (picked) await runProgram(text, picked.program);
}

async function fixDiagnostic(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const here = vscode.languages
    .getDiagnostics(editor.document.uri)
    .filter((d) => d.range.contains(editor.selection.active) || d.range.start.line === editor.selection.active.line);
  if (!here.length) {
    void vscode.window.showInformationMessage('Aura: no diagnostic under the cursor.');
    return;
  }
  const diagnostic = here[0];
  editor.selection = new vscode.Selection(diagnostic.range.start, diagnostic.range.end);
  await runProgram(`fix: ${diagnostic.message}`);
}

async function showRouting(): Promise<void> {
  const text =
    (await vscode.window.showInputBox({ prompt: 'Request to route', value: 'explain this' })) ?? undefined;
  if (!text) return;
  const request = focusRequest(text);
  if (!request) return;
  const routed = (await serverCommand('aura.route', [request])) as RouteResult | undefined;
  if (!routed) return;
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: routeMarkdown(text, routed) });
  await vscode.window.showTextDocument(document, { preview: true });
}

async function commitMessage(): Promise<void> {
  const result = (await serverCommand('aura.commitMessage', [{ show: false }])) as
    | { message?: string; error?: string }
    | undefined;
  if (!result) return;
  if (!result.message) {
    void vscode.window.showInformationMessage(describe('aura.commitMessage', result));
    return;
  }
  // Fill the Source Control input box when the built-in git extension is there.
  const git = vscode.extensions.getExtension('vscode.git')?.exports?.getAPI?.(1);
  const repository = git?.repositories?.[0];
  if (repository) {
    repository.inputBox.value = result.message;
    void vscode.window.showInformationMessage('Aura: commit message written to the Source Control input.');
  } else {
    await vscode.env.clipboard.writeText(result.message);
    void vscode.window.showInformationMessage(`Aura: commit message copied: ${result.message.split('\n')[0]}`);
  }
}

async function branchName(): Promise<void> {
  const description = await vscode.window.showInputBox({
    prompt: 'Describe the change (empty: name it after the working tree changes)',
  });
  if (description === undefined) return;
  const result = (await serverCommand('aura.branchName', [
    description ? { description, show: false } : { show: false },
  ])) as { branch?: string } | undefined;
  if (result?.branch) {
    await vscode.env.clipboard.writeText(result.branch);
    void vscode.window.showInformationMessage(`Aura: branch name copied: ${result.branch}`);
  } else if (result) {
    void vscode.window.showInformationMessage(describe('aura.branchName', result));
  }
}

/** A picture Aura drew, in a webview. */
function showPicture(title: string, svg: string): void {
  const panel = vscode.window.createWebviewPanel('aura.picture', title, vscode.ViewColumn.Beside, {
    enableScripts: false,
    localResourceRoots: [],
  });
  panel.webview.html = pictureHtml(title, svg, panel.webview.cspSource);
}

/** Ask the server for `command`'s picture and show it in a webview. */
async function chart(command: string, title: string): Promise<void> {
  const result = (await serverCommand(command, [{ show: false, svg: true }])) as
    | { svg?: string | { error: string }; error?: string }
    | undefined;
  if (!result) return;
  if (typeof result.svg === 'string') {
    showPicture(title, result.svg);
  } else {
    void vscode.window.showInformationMessage(result.error ?? `${title}: no picture.`);
  }
}

interface SimilarFunction {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  name: string;
  similarity: number;
}

/** `aura/similar` at the cursor: pick one of the nearest functions to open it. */
async function similarFunctions(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor) return;
  const result = (await client.sendRequest('aura/similar', {
    textDocument: { uri: editor.document.uri.toString() },
    position: { line: editor.selection.active.line, character: editor.selection.active.character },
    k: 10,
  })) as { error?: string; similar?: SimilarFunction[] };
  if (result.error || !result.similar) {
    void vscode.window.showInformationMessage(`Aura: ${result.error ?? 'nothing similar found'}`);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    result.similar.map((f) => ({
      label: f.name,
      description: `${vscode.workspace.asRelativePath(vscode.Uri.parse(f.uri))}:${f.range.start.line + 1}`,
      detail: `similarity ${f.similarity.toFixed(3)}`,
      f,
    })),
    { placeHolder: 'Functions most similar in meaning' },
  );
  if (!picked) return;
  const start = new vscode.Position(picked.f.range.start.line, 0);
  await vscode.window.showTextDocument(vscode.Uri.parse(picked.f.uri), { selection: new vscode.Range(start, start) });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionUri = context.extensionUri;
  output = vscode.window.createOutputChannel('Aura', { log: true });
  status = vscode.window.createStatusBarItem('aura.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Aura';
  status.command = 'aura.client.showOutput';
  status.show();
  context.subscriptions.push(output, status);
  void vscode.commands.executeCommand('setContext', 'aura.languages', LANGUAGES);

  const simple = (command: string, args: unknown[] = []) => async () => {
    const result = await serverCommand(command, args);
    if (result !== undefined) void vscode.window.setStatusBarMessage(`Aura: ${describe(command, result)}`, 5000);
  };
  const commands: Record<string, () => unknown> = {
    'aura.client.runProgram': pickProgram,
    'aura.client.explainSelection': () => runProgram('explain this code'),
    'aura.client.fixDiagnostic': fixDiagnostic,
    'aura.client.generateTests': () => runProgram('write unit tests for this'),
    'aura.client.documentSelection': () => runProgram('write documentation for this'),
    'aura.client.showRouting': showRouting,
    'aura.client.undoLastAiEdit': simple('aura.undoLastAiEdit'),
    'aura.client.doctor': simple('aura.doctor', [{}]),
    'aura.client.impact': simple('aura.impact', [{}]),
    'aura.client.hotspots': simple('aura.hotspots', [{}]),
    'aura.client.hotspotsChart': () => chart('aura.hotspots', 'Aura hotspots'),
    'aura.client.shape': simple('aura.shape', [{}]),
    'aura.client.shapeChart': () => chart('aura.shape', 'Aura code shape'),
    'aura.client.similar': similarFunctions,
    'aura.client.commitMessage': commitMessage,
    'aura.client.branchName': branchName,
    'aura.client.restart': async () => {
      if (client) {
        await client.restart();
      } else {
        await startClient(context);
      }
      renderStatus();
    },
    'aura.client.showOutput': () => output.show(),
  };
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('aura.server')) {
        const choice = await vscode.window.showInformationMessage('Aura: restart the server to use the new path?', 'Restart');
        if (choice) await vscode.commands.executeCommand('aura.client.restart');
      }
    }),
  );
  await startClient(context);
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
}
