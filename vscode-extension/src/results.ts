// What Aura's commands answer, turned into what VS Code shows: one-line
// messages, the routing decision as markdown, and the webview page for a
// picture. Pure, so it is tested without VS Code.

export interface Reason {
  why: string;
  weight: number;
}

export interface RoutedProgram {
  number: number;
  name?: string;
  code?: string;
  score?: number;
  reasons?: Reason[];
}

export interface RouteResult {
  conversation?: string;
  confidence?: number;
  programs?: RoutedProgram[];
  tiers?: { number?: number; name?: string; domain?: string; score?: number; reasons?: Reason[] }[];
  language?: string | null;
  [key: string]: unknown;
}

function reasonText(r: Reason): string {
  return `${r.why} (+${r.weight.toFixed(2)})`;
}

/** One line for a notification. */
export function describe(command: string, result: unknown): string {
  if (result === null || result === undefined) return `${command}: no result`;
  if (typeof result !== 'object') return String(result);
  const r = result as Record<string, unknown>;
  if (typeof r.error === 'string') return r.error;
  if (typeof r.branch === 'string' && r.message === undefined) return `Branch name: ${r.branch}`;
  if (typeof r.message === 'string') return r.message;
  if (typeof r.undone === 'boolean') {
    return r.undone ? 'Last AI edit undone.' : `Nothing undone: ${String(r.reason ?? 'no AI edit')}.`;
  }
  const programs = (r as RouteResult).programs;
  if (Array.isArray(programs) && programs[0]) {
    return `Routed to program ${programs[0].number} ${programs[0].name ?? ''}`.trim();
  }
  if (r.document) return 'Report opened.';
  return `${command}: done`;
}

/** The routing decision as a markdown document. */
export function routeMarkdown(request: string, result: RouteResult): string {
  const lines = [`# Aura routing`, '', `Request: ${request}`, ''];
  if (result.conversation) {
    const confidence = typeof result.confidence === 'number' ? ` (${(result.confidence * 100).toFixed(0)}%)` : '';
    lines.push(`Conversation: ${result.conversation}${confidence}`, '');
  }
  if (result.language) lines.push(`Language: ${result.language}`, '');
  lines.push('## Programs', '');
  for (const p of result.programs ?? []) {
    const score = typeof p.score === 'number' ? ` (score ${p.score.toFixed(2)})` : '';
    lines.push(`1. **${p.number} ${p.name ?? ''}**${score}`);
    for (const reason of p.reasons ?? []) lines.push(`   - ${reasonText(reason)}`);
  }
  if ((result.tiers ?? []).length) {
    lines.push('', '## Knowledge tiers', '');
    for (const t of result.tiers ?? []) {
      const why = t.reasons?.length ? ': ' + t.reasons.map(reasonText).join('; ') : '';
      lines.push(`- ${t.number ?? ''} ${t.name ?? ''}${why}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Escape text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A webview page showing an SVG Aura drew. The SVG goes in as an <img> data
 * URI, so no script in it can run, and the page's CSP allows nothing else.
 */
export function pictureHtml(title: string, svg: string, cspSource: string): string {
  const data = Buffer.from(svg, 'utf8').toString('base64');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${cspSource} data:; style-src 'unsafe-inline';">
<title>${escapeHtml(title)}</title>
<style>body { padding: 1em; } img { max-width: 100%; background: white; }</style>
</head>
<body>
<h2>${escapeHtml(title)}</h2>
<img alt="${escapeHtml(title)}" src="data:image/svg+xml;base64,${data}">
</body>
</html>`;
}
