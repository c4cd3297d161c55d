/**
 * The chapter's line echo program, meant to run under `netkit inetd`: it
 * reads lines from stdin and writes each back with its length, until EOF
 * or a line "bye".
 *
 *     netkit inetd --port 23032 -- node dist/examples/line-echo.js
 */
import { createInterface } from 'node:readline';

for await (const line of createInterface({ input: process.stdin })) {
  process.stdout.write(`${line.length}: ${line}\n`);
  if (line === 'bye') break;
}
