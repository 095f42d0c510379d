/** How the CLI ends on bad input: one line naming what is wrong, no stack unless --debug. */
import { TollwayError } from "../errors.js";

export function reportAndExit(error: unknown, debug: boolean): never {
  if (error instanceof TollwayError) {
    process.stderr.write(`tollway: ${error.message}\n`);
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exit(/^interrupted/.test(error.reason) ? 130 : 1);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tollway: internal error: ${message}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write("tollway: rerun with --debug for the stack trace, and please report it\n");
  process.exit(2);
}
