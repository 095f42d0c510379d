/** Tollway's version and install folder, from the package.json above this module (in src/ or in dist/src/). */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findPackage(): { root: string; version: string } | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "tollway" && pkg.version) return { root: dir, version: pkg.version };
    }
    dir = dirname(dir);
  }
  return undefined;
}

const found = findPackage();

export const VERSION = found?.version ?? "unknown";

/** The folder Tollway is installed in (holding its package.json), or undefined when not found. */
export const PACKAGE_ROOT: string | undefined = found?.root;
