#!/usr/bin/env node
// Runs a TypeScript script (bench, eval) the same way the CLI runs: `node bin/run-ts.js path/to/script.ts`.
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const script = process.argv[2];
if (!script) {
  console.error('usage: node bin/run-ts.js SCRIPT.ts [args…]');
  process.exit(2);
}
process.argv.splice(2, 1);
// Lets a module that is also a library tell whether it is the script being run.
process.env.TRUCE_SCRIPT = pathToFileURL(script).href;
await import(pathToFileURL(script).href);
