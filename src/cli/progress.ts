/**
 * Progress of a long command, on stderr: a bar (cli-progress) when stderr is a terminal, and
 * plain lines otherwise (CI logs, pipes, `2> log`), so a batch job's log shows that it moves.
 * Plain lines come at most once per `intervalMs` while the work runs, and one line when it ends;
 * a command that fails prints no progress line after its error.
 */
import cliProgress from "cli-progress";

/** What a command reports progress to. */
export interface Progress {
  /** `done` units of `total` are finished. */
  update(done: number): void;
  /** The work turned out larger (or smaller): `total` units in all. */
  setTotal(total: number): void;
  /** The work ended successfully: clear the bar, or print the closing line. */
  stop(): void;
}

/** Options of {@link plainProgress}. */
export interface PlainProgressOptions {
  /** Where the lines go (default: process.stderr). */
  stream?: { write(text: string): unknown };
  /** Least milliseconds between two lines while running (default 2000). */
  intervalMs?: number;
  /** Clock in milliseconds (default: performance.now). */
  now?: () => number;
  /** When the work started on that clock (default: now), for the closing line's duration. */
  startedAt?: number;
}

/**
 * Plain progress lines: `tollway: <label>: 12/80 rounds (15%)` while running (throttled) and
 * `tollway: <label>: 80/80 rounds done in 3.2 s` at the end.
 *
 * @example
 * const p = plainProgress("tournament", 20, "matches", { intervalMs: 0 });
 * p.update(1); // tollway: tournament: 1/20 matches (5%)
 * p.stop();    // tollway: tournament: 1/20 matches done in 0.0 s
 */
export function plainProgress(label: string, total: number, unit: string, options: PlainProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 2000;
  const started = options.startedAt ?? now();
  let last = started;
  let done = 0;
  return {
    setTotal(value) {
      total = value;
    },
    update(value) {
      done = value;
      const t = now();
      if (t - last < interval || value >= total) return;
      last = t;
      stream.write(`tollway: ${label}: ${value}/${total} ${unit} (${Math.floor((100 * value) / total)}%)\n`);
    },
    stop() {
      stream.write(`tollway: ${label}: ${done}/${total} ${unit} done in ${((now() - started) / 1000).toFixed(1)} s\n`);
    },
  };
}

/**
 * The progress of a command: a bar on a terminal, plain lines otherwise (see the module comment).
 * `run`, `reproduce`, `metrics`, `tournament`, `deviation` and `oscillation` all report through it.
 *
 * @param unit what is counted, e.g. "rounds" or "matches".
 */
export function progressBar(label: string, total: number, unit = "rounds", startedAt?: number): Progress {
  if (!process.stderr.isTTY) return plainProgress(label, total, unit, startedAt !== undefined ? { startedAt } : {});
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} ${unit} | {eta}s left`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(done), setTotal: (n) => bar.setTotal(n), stop: () => bar.stop() };
}

/**
 * Progress for work whose size is known only once it starts (e.g. a tournament's matches): the
 * reporter is made on the first `onProgress(done, total)` call. Disabled, it does nothing (e.g.
 * under `--json`, whose stderr stays clean).
 *
 * @example
 * const progress = lazyProgress("tournament", "matches", !flags.json);
 * await tournament(loaded, { ...flags, onProgress: progress.onProgress });
 * progress.stop();
 */
export function lazyProgress(label: string, unit: string, enabled: boolean): { onProgress: (done: number, total: number) => void; stop(): void } {
  let reporter: Progress | null = null;
  const startedAt = performance.now();
  return {
    onProgress(done, total) {
      if (!enabled) return;
      reporter ??= progressBar(label, total, unit, startedAt);
      reporter.update(done);
    },
    stop() {
      reporter?.stop();
    },
  };
}
