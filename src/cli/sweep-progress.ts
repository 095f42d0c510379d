/** Progress of a sweep: a bar with done/total, failures, rate and ETA on a terminal; a plain line every few seconds otherwise. */
import cliProgress from "cli-progress";
import { performance } from "node:perf_hooks";
import type { SweepProgress } from "../cluster/local.js";

/** Reports sweep progress on stderr; `stop()` ends the bar (or prints the last line). */
export function sweepProgress(label: string, quiet: boolean): { update(p: SweepProgress): void; stop(): void } {
  if (quiet) return { update: () => undefined, stop: () => undefined };
  const start = performance.now();
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} runs | {failed} failed | {rate} runs/s | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const rate = p.done / Math.max(1e-9, (performance.now() - start) / 1000);
        if (!started) {
          bar.start(p.total, p.done, { failed: p.failed, rate: rate.toFixed(1) });
          started = true;
        } else bar.update(p.done, { failed: p.failed, rate: rate.toFixed(1) });
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = start;
  let latest: SweepProgress | null = null;
  const line = (p: SweepProgress): void => {
    const seconds = (performance.now() - start) / 1000;
    const rate = p.done / Math.max(1e-9, seconds);
    const eta = rate > 0 ? ((p.total - p.done) / rate).toFixed(0) : "?";
    process.stderr.write(`${label}: ${p.done}/${p.total} runs, ${p.failed} failed${p.skipped > 0 ? `, ${p.skipped} already stored` : ""}, ${rate.toFixed(1)} runs/s, ETA ${eta} s\n`);
  };
  return {
    update(p) {
      latest = p;
      if (performance.now() - last >= 5000) {
        last = performance.now();
        line(p);
      }
    },
    stop: () => latest && latest.done > 0 && line(latest),
  };
}
