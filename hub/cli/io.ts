/** What a CLI command may touch of the outside world; tests pass their own to capture output. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export function processIo(): CliIo {
  return {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** The global options every command sees (`--config`). */
export interface GlobalOptions {
  config?: string;
}
