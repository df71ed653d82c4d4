#!/usr/bin/env node
// The `billing-backlog` command: runs the compiled CLI (dist/cli/main.js), building it first
// when dist/ is missing or older than the sources, so no TypeScript loader runs in production.
import { ensureServerBuild } from '../scripts/server-build.mjs';

try {
  ensureServerBuild();
} catch (error) {
  console.error(`error: ${error.message}`);
  process.exit(1);
}
const { run } = await import(new URL('../dist/cli/main.js', import.meta.url).href);
const code = await run(process.argv);
// No process.exit(): stdout to a pipe is written asynchronously and must drain first.
process.exitCode = code;
