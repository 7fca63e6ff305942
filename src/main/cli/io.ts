import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Reads a password from a file (first line) or, without one, from the terminal with echo off. */
export async function readPassword(file: string | undefined, prompt: string): Promise<string> {
  if (file) return readFileSync(file, 'utf8').split(/\r?\n/)[0];
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  return new Promise((ok) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stderr.write(prompt);
    out._writeToOutput = () => {};
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      ok(answer);
    });
  });
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
