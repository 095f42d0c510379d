/**
 * The single-node SLURM of scripts/slurm.sh, shared by the test files that submit real jobs. Test
 * files run in parallel processes: each registers itself (a file named by its PID) while it uses
 * the cluster, and the last one to leave stops the cluster if a test started it — so one file
 * finishing never stops the daemons under another, nor a cluster someone else had started.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./run.js";

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
