/** Reading a scenario file: JSON syntax and schema errors name the file, the field and the reason. */
import { createHash } from "node:crypto";
import type { z } from "zod";
import { TollwayError } from "../errors.js";
import { checkJsonDepth, readJsonFile } from "../io/json-text.js";
import { closestName } from "../closest-name.js";
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
  const result = scenarioSchema.safeParse(value, ZOD_PARSE_OPTIONS);
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

/**
 * Options for `safeParse` that let `zodError` name the closest valid field for an unknown one
 * (`unknown field "perPackets" (did you mean "perPacket"?)`). zod's finished issue does not list
 * the fields the object knows, but the error map sees the schema that raised it; this works with a
 * user's own copy of zod too, as the options travel with the call.
 */
export const ZOD_PARSE_OPTIONS: z.core.ParseContext<z.core.$ZodIssue> = { error: unknownFieldMessage };

function unknownFieldMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== "unrecognized_keys") return undefined;
  const shape = (issue.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
  return unknownFields(issue.keys, shape ? Object.keys(shape) : []);
}

/** `unknown field "x" (did you mean "y"?)`, or the valid names when none is close. */
function unknownFields(keys: readonly string[], known: readonly string[]): string {
  const reason = `unknown field${keys.length > 1 ? "s" : ""} ${keys.map((k) => `"${k}"`).join(", ")}`;
  const guesses = keys.map((k) => closestName(k, known)).filter((g): g is string => g !== undefined);
  if (guesses.length > 0) return `${reason} (did you mean ${[...new Set(guesses)].map((g) => `"${g}"`).join(", ")}?)`;
  if (known.length > 0 && known.length <= 12) return `${reason} (known: ${known.join(", ")})`;
  return reason;
}

function plainReason(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return issue.message.startsWith("unknown field") ? issue.message : unknownFields(issue.keys, []);
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
