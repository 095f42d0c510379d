/**
 * No import cycles in src/: data flows one way (scenario → model → engine → metrics → report),
 * and a cycle is where that breaks. The graph is read from the sources with TypeScript's own
 * import scanner, type-only imports included (they tie the files together as much as any other).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/run.js";

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** file → the files of `within` it imports (static imports and re-exports; `import()` is lazy and left out). */
function importGraph(within: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(within)) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, false);
    const targets = info.importedFiles
      .map((f) => f.fileName)
      .filter((name) => name.startsWith("."))
      .map((name) => resolve(dirname(file), name.replace(/\.js$/, ".ts")))
      .filter((target) => target.startsWith(within));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The cycles of a graph, one per strongly connected component of more than one file (Tarjan). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return components;
}

describe("the import graph of src/", () => {
  it("has no cycles", () => {
    const src = resolve(ROOT, "src");
    const cycles = cyclesOf(importGraph(src)).map((c) => c.map((f) => relative(src, f)));
    expect(cycles).toEqual([]);
  });

  it("the check finds a cycle where there is one", () => {
    const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
    expect(cyclesOf(graph)).toEqual([["a", "b", "c"]]);
    expect(cyclesOf(new Map([["a", ["b"]], ["b", []]]))).toEqual([]);
  });
});
