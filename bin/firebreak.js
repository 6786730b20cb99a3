#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader: no build step after `npm ci`, and the CLI a
// responder runs is always the code in the checkout. tsx caches transpiled files, so only the first
// run after a change pays for transpiling. See README "CLI" for why this beats a committed bundle.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
