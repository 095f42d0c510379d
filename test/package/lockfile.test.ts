/**
 * `npm install` on a fresh clone must leave package-lock.json as committed. It rewrites the lock
 * when package.json's dependency groups disagree with the lock's root entry (as when `tsx` was
 * moved to `dependencies` by hand and the lock still listed it as a dev dependency), and then
 * re-flags every package reachable from it. `npm ci` installs from such a lock without a word, so
 * this checks the lock offline: the root groups match package.json, and a package is flagged
 * `dev` exactly when no production dependency reaches it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface LockEntry {
  name?: string;
  version?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const ROOT = new URL("../../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")) as LockEntry;
const lock = JSON.parse(readFileSync(new URL("package-lock.json", ROOT), "utf8")) as { name: string; version: string; packages: Record<string, LockEntry> };

/** Where Node would find `name` required from the package installed at `from` ("" is the root). */
function resolveIn(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir === "" ? "" : `${dir}/`}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (dir === "") return undefined;
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut < 0 ? "" : dir.slice(0, cut);
  }
}

/** Every installed path that production edges reach from the root. */
function productionClosure(): Set<string> {
  const reached = new Set<string>();
  const stack = [""];
  while (stack.length > 0) {
    const at = stack.pop()!;
    const entry = lock.packages[at]!;
    const names = [entry.dependencies, entry.optionalDependencies, entry.peerDependencies].flatMap((group) => Object.keys(group ?? {}));
    for (const name of names) {
      const found = resolveIn(at, name);
      if (found !== undefined && !reached.has(found)) {
        reached.add(found);
        stack.push(found);
      }
    }
  }
  return reached;
}

describe("package-lock.json agrees with package.json", () => {
  it("names the same package and version", () => {
    expect([lock.name, lock.version]).toEqual([pkg.name, pkg.version]);
    expect(lock.packages[""]!.version).toBe(pkg.version);
  });

  it("lists the same dependency groups at its root", () => {
    const root = lock.packages[""]!;
    for (const group of ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"] as const) {
      expect({ group, deps: root[group] ?? {} }).toEqual({ group, deps: pkg[group] ?? {} });
    }
  });

  it("flags a package as dev exactly when no production dependency reaches it", () => {
    const production = productionClosure();
    const misflagged = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== "" && (entry.dev === true) === production.has(path))
      .map(([path, entry]) => `${path} (${entry.dev === true ? "flagged dev, but a dependency needs it" : "not flagged dev, but only dev dependencies need it"})`);
    expect(misflagged).toEqual([]);
  });
});
