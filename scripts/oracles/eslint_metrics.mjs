// Per-function cyclomatic (ESLint `complexity`, classic variant) and
// cognitive (eslint-plugin-sonarjs S3776) complexity for JavaScript and
// TypeScript files, one JSON object per function on stdout.
//
// Besides ESLint's figure it counts, per function, the constructs ESLint's
// definition has and Aura's does not (default values, optional chaining,
// logical assignment, and S3776's choice not to count `||` and `??`), so compare.py can print agreement both raw and with
// those documented differences taken out.
//
//   node eslint_metrics.mjs FILE...   (run from .oracles/npm so imports resolve)
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(path.join(process.cwd(), "package.json"));
const { Linter } = require("eslint");
const sonarjs = require("eslint-plugin-sonarjs");
const tsParser = require("@typescript-eslint/parser");

// Counts the constructs that ESLint's `complexity` counts and Aura's table
// does not, per code path, the same way `complexity` keeps its own counts.
const definitionDifferences = {
  meta: { type: "suggestion", schema: [], messages: { d: "{{data}}" } },
  create(context) {
    const stack = [];
    const seen = new Set();
    const flatten = (node) => {
      if (node.type !== "LogicalExpression") return [];
      seen.add(node);
      return [...flatten(node.left), node, ...flatten(node.right)];
    };
    const bump = (key) => {
      if (stack.length) stack[stack.length - 1][key]++;
    };
    return {
      onCodePathStart(codePath, node) {
        // A function that is itself a branch of `?:` makes S3776 count one
        // nesting level too many for the rest of the enclosing function: its
        // `*` listener raises the enclosing function's nesting on entry (it
        // runs before `:function` pushes the new one) and its `*:exit` lowers
        // the nested function's (it runs before `:function:exit` pops it).
        const parent = node.parent;
        if (stack.length && parent && parent.type === "ConditionalExpression" && parent.test !== node) {
          stack[stack.length - 1].sonarLeaks++;
        }
        stack.push({ defaults: 0, optional: 0, logicalAssign: 0, orRuns: 0, sonarLeaks: 0 });
      },
      // S3776 counts only runs of `&&`: since SonarJS 4 it leaves out runs of
      // `||` and `??` (default-value idioms), which the white paper counts.
      // Count those runs the way S3776 walks sequences, to add them back.
      LogicalExpression(node) {
        if (seen.has(node)) return;
        let previous;
        for (const current of flatten(node)) {
          if (["||", "??"].includes(current.operator) && previous?.operator !== current.operator) {
            bump("orRuns");
          }
          previous = current;
        }
      },
      AssignmentPattern: () => bump("defaults"),
      MemberExpression(node) {
        if (node.optional) bump("optional");
      },
      CallExpression(node) {
        if (node.optional) bump("optional");
      },
      AssignmentExpression(node) {
        if (["||=", "&&=", "??="].includes(node.operator)) bump("logicalAssign");
      },
      onCodePathEnd(codePath, node) {
        const counts = stack.pop();
        if (codePath.origin !== "function") return;
        const src = context.sourceCode;
        const at = (loc) => (loc ? `${loc.start.line}:${loc.start.column + 1}` : null);
        const record = {
          start: auraStartLine(node, src),
          end: node.loc.end.line,
          eslintAt: at(eslintHeadLoc(node, src)),
          sonarAt: at(sonarLoc(node, src)),
          ...counts,
        };
        context.report({ loc: node.loc, messageId: "d", data: { data: JSON.stringify(record) } });
      },
    };
  },
};

const METHOD_PARENTS = ["Property", "MethodDefinition", "PropertyDefinition", "TSPropertySignature", "TSMethodSignature"];

// Aura's start_line: the first token of the function, or of the method that
// holds it, after any decorators.
function auraStartLine(node, src) {
  const owner = node.parent && METHOD_PARENTS.includes(node.parent.type) ? node.parent : node;
  let token = src.getFirstToken(owner);
  if (owner.decorators && owner.decorators.length) {
    token = src.getTokenAfter(owner.decorators[owner.decorators.length - 1]);
  }
  return token.loc.start.line;
}

// Where ESLint's `complexity` reports (astUtils.getFunctionHeadLoc's start).
function eslintHeadLoc(node, src) {
  if (node.parent && METHOD_PARENTS.includes(node.parent.type)) return node.parent.loc;
  if (node.type === "ArrowFunctionExpression") {
    return src.getTokenBefore(node.body, (t) => t.value === "=>").loc;
  }
  return node.loc;
}

// Where S3776 reports (its getMainFunctionTokenLocation).
function sonarLoc(node, src) {
  const parent = node.parent;
  if (node.type === "FunctionDeclaration" && node.id) return node.id.loc;
  if (node.type === "FunctionExpression" && parent && ["MethodDefinition", "Property"].includes(parent.type)) {
    return parent.key.loc;
  }
  if (node.type === "ArrowFunctionExpression") {
    return src.getTokensBefore(node.body).reverse().find((t) => t.value === "=>")?.loc;
  }
  return src.getTokens(node).find((t) => t.value === "function")?.loc;
}

const plugin = { rules: { differences: definitionDifferences } };
const linter = new Linter({ configType: "flat" });

function configFor(file) {
  const ts = /\.(ts|tsx|mts|cts)$/.test(file);
  return [
    {
      files: ["**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}"],
      languageOptions: {
        ecmaVersion: "latest",
        sourceType: /\.cjs$/.test(file) ? "commonjs" : "module",
        ...(ts ? { parser: tsParser } : {}),
        parserOptions: { ecmaFeatures: { jsx: /\.(jsx|tsx)$/.test(file) } },
      },
      // Sources silence rules (`eslint-disable complexity`); measure anyway.
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
      plugins: { sonarjs, aura: plugin },
      rules: {
        complexity: ["error", 0],
        "sonarjs/cognitive-complexity": ["error", 0],
        "aura/differences": "error",
      },
    },
  ];
}

for (const file of process.argv.slice(2)) {
  const code = fs.readFileSync(file, "utf8");
  let messages;
  try {
    messages = linter.verify(code, configFor(file), { filename: path.basename(file) });
  } catch (err) {
    process.stderr.write(`${file}: ${err.message}\n`);
    continue;
  }
  const fatal = messages.find((m) => m.fatal || m.message.startsWith("No matching configuration"));
  if (fatal) {
    process.stderr.write(`${file}: ${fatal.message}\n`);
    continue;
  }
  const byEslint = new Map();
  const bySonar = new Map();
  const functions = [];
  for (const m of messages) {
    if (m.ruleId !== "aura/differences") continue;
    const f = JSON.parse(m.message);
    f.file = file;
    f.cognitive = 0; // S3776 reports only functions above its threshold of 0
    functions.push(f);
    byEslint.set(f.eslintAt, f);
    if (f.sonarAt) bySonar.set(f.sonarAt, f);
  }
  for (const m of messages) {
    const at = `${m.line}:${m.column}`;
    if (m.ruleId === "complexity") {
      const f = byEslint.get(at);
      if (f) f.cyclomatic = Number(/complexity of (\d+)/.exec(m.message)[1]);
    } else if (m.ruleId === "sonarjs/cognitive-complexity") {
      const f = bySonar.get(at);
      if (f) f.cognitive = Number(/from (\d+) to/.exec(m.message)[1]);
    }
  }
  for (const f of functions) {
    if (f.cyclomatic !== undefined) process.stdout.write(JSON.stringify(f) + "\n");
  }
}
