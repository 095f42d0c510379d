/**
 * `node dist/bench/payments.js [--json] [--rounds N] [--scale test|small] [--repeats R]`: the
 * authenticated payments' cost (bench/security.ts `paymentsBench`): MACs per second, fields made
 * and checked per second, and the engine's throughput on Table I's dynamic α = 4 run with
 * `security.payments` on against off, measured in the same process. Figures, never assertions.
 */
import { formatTable } from "../src/report/table.js";
import { paymentsBench } from "./security.js";

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const scale = flag("--scale") === "small" ? "small" : "test";
const figures = await paymentsBench({ rounds: Number(flag("--rounds") ?? 10), scale, repeats: Number(flag("--repeats") ?? 2) });
if (argv.includes("--json")) process.stdout.write(JSON.stringify(figures, null, 2) + "\n");
else process.stdout.write(formatTable(Object.entries(figures).map(([figure, value]) => ({ figure, value }))) + "\n");
