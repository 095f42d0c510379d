/**
 * The single-node SLURM of scripts/slurm.sh, shared by the test files that submit real jobs. Test
 * files run in parallel processes: each registers itself (a file named by its PID) while it uses
 * the cluster, and the last one to leave stops the cluster if a test started it — so one file
 * finishing never stops the daemons under another, nor a cluster someone else had started.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { cli, ROOT } from "./run.js";

const DIR = process.env.TOLLWAY_SLURM_DIR ?? "/tmp/tollway-slurm";
const USERS = join(DIR, "test-users");
const STARTED = join(DIR, "started-by-tests");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts the cluster if it is not up (it needs root and Debian's apt), sets SLURM_CONF; returns the function that leaves it. */
export function useSlurm(): () => void {
  const up = spawnSync("bash", [ROOT + "scripts/slurm.sh", "up"], { encoding: "utf8", env: { ...process.env, TOLLWAY_SLURM_DIR: DIR } });
  if (up.status !== 0) throw new Error(`scripts/slurm.sh up failed (it needs root and Debian's apt): ${up.stdout}${up.stderr}`);
  if (!/already up/.test(up.stdout)) writeFileSync(STARTED, "");
  mkdirSync(USERS, { recursive: true });
  const me = join(USERS, String(process.pid));
  writeFileSync(me, "");
  process.env.SLURM_CONF = `${DIR}/slurm.conf`;
  return () => {
    rmSync(me, { force: true });
    const others = readdirSync(USERS).filter((pid) => alive(Number(pid)));
    if (others.length > 0 || !existsSync(STARTED)) return;
    rmSync(STARTED, { force: true });
    spawnSync("bash", [ROOT + "scripts/slurm.sh", "down"], { encoding: "utf8", env: { ...process.env, TOLLWAY_SLURM_DIR: DIR } });
  };
}

/**
 * Runs a study command (whose args include `--out DIR`) here with `--workers 1`, then on the
 * cluster with `--backend slurm --store STORE --wait`, and expects the same stdout and the same
 * `csv` file under DIR, `runs` runs submitted as as many array tasks.
 * @returns the local run's stdout.
 */
export function expectSlurmLikeLocal(args: readonly string[], out: string, csv: string, store: string, runs: number): string {
  const local = cli(...args, "--workers", "1");
  expect(local.status, local.stderr).toBe(0);
  const data = readFileSync(join(out, csv), "utf8");
  const slurm = cli(...args, "--backend", "slurm", "--store", store, "--wait");
  expect(slurm.status, slurm.stderr).toBe(0);
  expect(slurm.stderr).toMatch(new RegExp(`submitted ${runs} runs as ${runs} array tasks`));
  expect(slurm.stdout).toBe(local.stdout);
  expect(readFileSync(join(out, csv), "utf8")).toBe(data);
  return local.stdout;
}
