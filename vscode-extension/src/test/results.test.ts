import * as assert from 'node:assert/strict';
import { test } from 'node:test';

import { describe, escapeHtml, pictureHtml, routeMarkdown } from '../results';

test('describe picks the field each command answers with', () => {
  assert.equal(describe('aura.branchName', { branch: 'feat/login' }), 'Branch name: feat/login');
  assert.equal(describe('aura.commitMessage', { message: 'fix: x', branch: 'fix/x' }), 'fix: x');
  assert.equal(describe('aura.impact', { error: 'not inside a git repository' }), 'not inside a git repository');
  assert.equal(describe('aura.undoLastAiEdit', { undone: false, reason: 'nothing to undo' }), 'Nothing undone: nothing to undo.');
  assert.equal(describe('aura.undoLastAiEdit', { undone: true, program: 12 }), 'Last AI edit undone.');
  assert.equal(describe('aura.route', { programs: [{ number: 19, name: 'Unit Test Generation' }] }), 'Routed to program 19 Unit Test Generation');
  assert.equal(describe('aura.doctor', { report: {}, document: 'file:///tmp/d.md' }), 'Report opened.');
  assert.equal(describe('aura.x', null), 'aura.x: no result');
});

test('the routing markdown lists programs with reasons and weights', () => {
  const md = routeMarkdown('explain this', {
    conversation: 'explanation',
    confidence: 0.99,
    programs: [{ number: 37, name: 'Concept Explanation', score: 7.8, reasons: [{ why: 'keyword “explain”', weight: 1.5 }] }],
    tiers: [{ number: 74, name: 'Query Optimization', reasons: [{ why: 'mentions “explain”', weight: 1.5 }] }],
  });
  assert.match(md, /^# Aura routing/);
  assert.match(md, /Conversation: explanation \(99%\)/);
  assert.match(md, /1\. \*\*37 Concept Explanation\*\* \(score 7\.80\)\n {3}- keyword “explain” \(\+1\.50\)/);
  assert.match(md, /- 74 Query Optimization: mentions “explain” \(\+1\.50\)/);
});

test('pictures go in as an image, never as markup that could run', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
  const html = pictureHtml('Hot <spots>', svg, 'vscode-resource:');
  assert.ok(!html.includes('<script>'), html);
  assert.match(html, /default-src 'none'/);
  assert.match(html, /<h2>Hot &lt;spots&gt;<\/h2>/);
  const data = /base64,([A-Za-z0-9+/=]+)"/.exec(html)![1];
  assert.equal(Buffer.from(data, 'base64').toString('utf8'), svg);
  assert.equal(escapeHtml(`"'&`), '&quot;&#39;&amp;');
});
