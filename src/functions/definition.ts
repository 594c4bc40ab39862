/**
 * The contract of a column function as the engine evaluates it: `evaluate` runs in the workers over
 * one partition's columns, `type` infers the output type from the argument types (for `schema()`).
 * Modules under `src/functions/` export records of these so they can be registered in one place.
 */
import type { Column, DataType, VariantBatch } from "../frame/column.js";

export interface ColumnFunctionDefinition {
  evaluate(args: Column[], params: Record<string, unknown>, batch: VariantBatch): Column;
  type(args: DataType[], params: Record<string, unknown>): DataType;
}
