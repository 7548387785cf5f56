#!/usr/bin/env node
// The `paddock` command. The code lives in dist/cli.mjs, built by `npm run build` (scripts/build-cli.mjs).
import { runCli } from '../dist/cli.mjs';

await runCli(process.argv.slice(2));
