/**
 * Reporting: chart specs and their rendering to SVG/PNG, and text/CSV tables.
 * Used by the CLI's report commands and by the notebooks.
 */
export * from "./charts.js";
export * from "./tradeoff-spec.js";
export * from "./table.js";
export * from "./atomic.js";
export * from "./provenance.js";
export * from "./outputs.js";
