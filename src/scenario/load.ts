/** Reading a scenario file: JSON syntax and schema errors name the file, the field and the reason. */
import { createHash } from "node:crypto";
import type { z } from "zod";
import { TollwayError } from "../errors.js";
import { checkJsonDepth, readJsonFile } from "../io/json-text.js";
import { scenarioSchema, type Scenario } from "./schema.js";

export interface LoadedScenario {
  scenario: Scenario;
  /** The file it came from ("<inline>" for objects). */
  file: string;
  /** sha256 (first 16 hex) of the scenario with defaults filled in, keys sorted. */
  hash: string;
}

export function loadScenarioFile(file: string): LoadedScenario {
  return parseScenario(readJsonFile(file, "scenario"), file);
}

export function parseScenario(value: unknown, file = "<inline>"): LoadedScenario {
  checkJsonDepth(value, file);
  const result = scenarioSchema.safeParse(value);
  if (!result.success) throw zodError(result.error, file);
  return { scenario: result.data, file, hash: scenarioHash(result.data) };
}

/** The first zod issue as a TollwayError with the dotted field path. */
export function zodError(error: z.ZodError, file?: string, prefix = ""): TollwayError {
  const issue = error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter((p) => p !== "").join(".");
  const place = { ...(file !== undefined ? { file } : {}), ...(field !== "" ? { field } : {}) };
  return new TollwayError(plainReason(issue), place);
}

function plainReason(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  if (issue.code === "invalid_type" && / received undefined$/.test(issue.message)) return `required (${issue.expected})`;
  return issue.message.replace(/^Invalid input: /, "");
}

export function scenarioHash(scenario: unknown): string {
  return createHash("sha256").update(canonicalJson(scenario)).digest("hex").slice(0, 16);
}

/** JSON with object keys sorted, so equal scenarios hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
