#!/usr/bin/env node
/** Entry point of the `busbar` executable; everything else is in program.ts. */
import { processIo } from './io.js';
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), processIo());
// Exit explicitly: a command that finished must not linger on a stray timer or socket.
process.exit(code);
