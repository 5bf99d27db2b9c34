/** What a CLI command may touch: its output streams and the environment, passed in so tests need no process state. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The clock, injectable so tests can move time; Date.now when absent. */
  now?: () => number;
}
