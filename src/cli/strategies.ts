/** `tollway strategies`: the built-in strategies with their metadata and parameters. */
import type { Command } from "commander";
import { z } from "zod";
import { BUILT_IN_STRATEGIES } from "../agents/registry.js";
import { formatTable } from "../report/table.js";

export function registerStrategies(program: Command): void {
  program
    .command("strategies")
    .description("list the built-in ISP and user strategies")
    .option("--json", "print as JSON, with each strategy's parameter schema")
    .action((options: { json?: boolean }) => {
      const rows = BUILT_IN_STRATEGIES.map((s) => ({
        kind: s.kind, id: s.id, name: s.name, ...s.meta,
        defaults: s.params.parse({}) as Record<string, unknown>,
      }));
      if (options.json) {
        const withSchema = BUILT_IN_STRATEGIES.map((s, i) => ({ ...rows[i], params: z.toJSONSchema(s.params, { io: "input" }) }));
        process.stdout.write(JSON.stringify(withSchema, null, 2) + "\n");
        return;
      }
      process.stdout.write(
        formatTable(rows.map((r) => ({
          kind: r.kind, id: r.id, cheats: r.cheats ? "yes" : "no", memory: r.memoryDepth, stochastic: r.stochastic ? "yes" : "no",
          defaults: JSON.stringify(r.defaults),
        }))) + "\n\n" + rows.map((r) => `${r.id}: ${r.description}${r.source ? ` (${r.source})` : ""}`).join("\n") + "\n",
      );
    });
}
