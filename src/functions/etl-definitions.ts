/**
 * Engine definitions of the QC/struct/summary functions (`arraySummaryStats`, `dpSummaryStats`,
 * `gqSummaryStats`, `arrayQuantile`, `subsetStruct`, `addStructFields`, Glow's 4-argument
 * `hard_calls`), registered with the evaluator by name.
 */
import { registerFunction, type ColumnFunction } from "../core/function-registry.js";
import { arrayQuantileColumn, arraySummaryStatsColumn, genotypeFieldSummaryStatsColumn, summaryStatsType } from "./summary-stats.js";
import { addStructFieldsColumn, addStructFieldsType, subsetStructColumn, subsetStructType } from "./struct.js";
import { hardCallsFromColumns } from "./hard-calls.js";
import { filterSamplesColumn } from "./filter-samples.js";

const etlFunctionDefinitions: Record<string, ColumnFunction> = {
  arraySummaryStats: {
    evaluate: ([a]) => arraySummaryStatsColumn(a!),
    type: () => summaryStatsType,
  },
  dpSummaryStats: {
    evaluate: ([g]) => genotypeFieldSummaryStatsColumn(g!, "depth", "dp_summary_stats"),
    type: () => summaryStatsType,
  },
  gqSummaryStats: {
    evaluate: ([g]) => genotypeFieldSummaryStatsColumn(g!, "conditionalQuality", "gq_summary_stats"),
    type: () => summaryStatsType,
  },
  arrayQuantile: {
    evaluate: ([a], p) => arrayQuantileColumn(a!, Number(p["quantile"]), p["isSorted"] === true),
    type: () => "double",
  },
  subsetStruct: {
    evaluate: ([s], p) => subsetStructColumn(s!, p["fields"] as string[]),
    type: ([t], p) => subsetStructType(t!, p["fields"] as string[]),
  },
  addStructFields: {
    evaluate: ([s, ...values], p) => addStructFieldsColumn(s!, p["names"] as string[], values),
    type: ([t, ...values], p) => addStructFieldsType(t!, p["names"] as string[], values),
  },
  filterSamples: {
    evaluate: ([g], p) => filterSamplesColumn(g!, p["sampleIds"] as string[]),
    type: ([t]) => t!,
  },
  hardCallsGlow: {
    evaluate: ([probs, numAlts, phased], p) => hardCallsFromColumns(probs!, numAlts!, phased!, typeof p["threshold"] === "number" ? (p["threshold"] as number) : 0.9),
    type: () => ({ list: "int" }),
  },
};

for (const [name, fn] of Object.entries(etlFunctionDefinitions)) registerFunction(name, fn);
