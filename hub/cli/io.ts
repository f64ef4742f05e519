/** What a CLI command may touch of the outside world; tests pass their own to capture output. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** A terminal for progress bars; absent when stderr is a file or pipe (then only summaries). */
  readonly terminal?: NodeJS.WriteStream;
}

export function processIo(): CliIo {
  return {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    env: process.env,
    cwd: process.cwd(),
    ...(process.stderr.isTTY ? { terminal: process.stderr } : {}),
  };
}

/** The global options every command sees (`--config`). */
export interface GlobalOptions {
  config?: string;
}
