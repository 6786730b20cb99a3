#!/usr/bin/env node
// The `firebreak` CLI. Runs the bundle dist/cli.js, built with the actions by `npm run build`
// (`npm run check:dist` fails when it is stale): plain node, nothing from node_modules, fast start.
// FIREBREAK_DEV=1 runs the TypeScript sources through tsx instead (a devDependency), for working
// on src/cli without rebuilding. See docs/contributors/bundles.md.
const dev = process.env.FIREBREAK_DEV === '1';
let main;
if (dev) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
} else {
  try {
    ({ main } = await import('../dist/cli.js'));
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
    process.stderr.write('error: dist/cli.js is missing. Run `npm run build`, or FIREBREAK_DEV=1 to run the sources.\n');
    process.exit(1);
  }
}
process.exitCode = await main(process.argv.slice(2));
