#!/usr/bin/env node
// The `billing-backlog` command: runs src/cli/main.ts through tsx (a dependency), so the
// CLI and the server run the same TypeScript with no build step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import(new URL('../src/cli/main.ts', import.meta.url).href);
const code = await run(process.argv);
// No process.exit(): stdout to a pipe is written asynchronously and must drain first.
process.exitCode = code;
