#!/usr/bin/env node
/**
 * Some npm registries (mirrors) serve only the packages of their own platform. npm then leaves the
 * other platforms' optional packages (@swc/core-darwin-arm64, @esbuild/win32-x64, …) out of
 * package-lock.json, and `npm ci` refuses the lock as "out of sync". This adds a lock entry for
 * every optional dependency that lacks one; npm skips or tolerates them on install. Idempotent.
 */
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [where, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${where ? `${where}/` : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    packages[hoisted] = { version: String(range).replace(/^[\^~=]/, ''), optional: true, ...(entry.dev ? { dev: true } : {}) };
    added += 1;
  }
}
if (added > 0) {
  const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  lock.packages = sorted;
  fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  process.stdout.write(`complete-lockfile: added ${added} optional platform packages to package-lock.json\n`);
}
