/**
 * The column-function registry: function name → output type and evaluator.
 *
 * A function module (`src/functions/*`) calls {@link registerFunction} once at import for each of
 * its functions; the engine's evaluator (`src/engine/evaluate.ts`) looks names up here. An
 * expression names a function by its registered name (`{ op: "fn", name: "genotypeStates" }`), so
 * plans stay plain data that the worker threads evaluate with the same registry.
 *
 * To add a function: write its column kernel in `src/functions/`, register it there, and add its
 * `Col` builder to `src/functions/index.ts` (which imports every function module, so importing the
 * library installs all of them).
 */
import type { Column, DataType, VariantBatch } from "./column.js";
import { GlowtsError } from "./errors.js";

/** A registered column function. */
export interface ColumnFunction {
  /** Evaluates the function over already evaluated argument columns of `batch`. */
  evaluate(args: Column[], params: Record<string, unknown>, batch: VariantBatch): Column;
  /** Output type from the argument types (for `schema()` and `explain()`). */
  type(args: DataType[], params: Record<string, unknown>): DataType;
}

const registry = new Map<string, ColumnFunction>();

/** Registers (or replaces) the function `name`. */
export function registerFunction(name: string, fn: ColumnFunction): void {
  registry.set(name, fn);
}

/** The function registered as `name`. Throws GlowtsError `FUNCTION` for an unknown name. */
export function lookupFunction(name: string): ColumnFunction {
  const f = registry.get(name);
  if (!f) throw new GlowtsError("FUNCTION", `unknown function '${name}'`);
  return f;
}

/** Names of the registered functions. */
export function functionNames(): string[] { return [...registry.keys()]; }
