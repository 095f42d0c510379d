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

/**
 * Makes an exit with code 0 while a command is still running a failure: something (a strategy
 * loaded from a file, say) called `process.exit(0)` and the command's output is missing, so a
 * script or a sweep must not read it as a success. `running()` says whether a command is under way.
 */
export function failUnexpectedExit(running: () => boolean): void {
  process.on("exit", (code) => {
    if (code !== 0 || !running()) return;
    process.stderr.write("tollway: the process was ended before the command finished (something called process.exit); its results are incomplete\n");
    process.exitCode = 1;
  });
}
