#!/usr/bin/env node
// `prestart`: builds the web UI when web/dist is missing or older than its sources, so
// `npm install && npm start` on a fresh clone serves the UI. Does nothing otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const built = path.join(root, 'web/dist/index.html');

function newestSource() {
  const files = ['web/index.html', 'web/vite.config.ts'].map((f) => path.join(root, f));
  for (const f of readdirSync(path.join(root, 'web/src'), { recursive: true }))
    files.push(path.join(root, 'web/src', String(f)));
  return Math.max(...files.filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs));
}

if (existsSync(built) && statSync(built).mtimeMs >= newestSource()) process.exit(0);
console.log('building the web UI (web/dist)…');
const result = spawnSync(
  'npx',
  ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
