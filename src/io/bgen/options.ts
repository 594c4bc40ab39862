/** Options of the `bgen` data source (Glow's `BgenOptions` / `CommonOptions`, camelCase). */
import { GlowtsError, optionError } from "../../core/errors.js";

/** Reader options with Glow's defaults. */
export interface BgenReadOptions {
  /** Use the bgenix `.bgi` index next to the file, when present, to cut partitions and prune by region. @defaultValue true */
  useBgenIndex: boolean;
  /** Oxford `.sample` file giving sample ids to files without a sample identifier block. */
  sampleFilePath?: string | undefined;
  /** Column of the `.sample` file holding the ids. @defaultValue "ID_2" */
  sampleIdColumn: string;
  /** Add hard `calls` to the genotypes. @defaultValue true */
  emitHardCalls: boolean;
  /** Minimum posterior probability for a hard call. @defaultValue 0.9 */
  hardCallThreshold: number;
  /** Add `sampleId` to the genotypes. @defaultValue true */
  includeSampleIds: boolean;
  /** Read files that do not end in `.bgen` (otherwise they are skipped, as Glow does). @defaultValue false */
  ignoreExtension: boolean;
}

/** Glow's defaults. */
export const bgenDefaults: Readonly<BgenReadOptions> = Object.freeze({
  useBgenIndex: true,
  sampleFilePath: undefined,
  sampleIdColumn: "ID_2",
  emitHardCalls: true,
  hardCallThreshold: 0.9,
  includeSampleIds: true,
  ignoreExtension: false,
});

const CALLER = "read('bgen')";
const NAMES = Object.keys(bgenDefaults) as (keyof BgenReadOptions)[];

function toBool(name: string, v: unknown): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
  return optionError(CALLER, name, `must be a boolean; got ${JSON.stringify(v)}`);
}

function toNumber(name: string, v: unknown): number {
  const x = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  if (!Number.isFinite(x)) return optionError(CALLER, name, `must be a finite number; got ${JSON.stringify(v)}`);
  return x;
}

function toStr(name: string, v: unknown): string {
  if (typeof v !== "string" || v === "") return optionError(CALLER, name, `must be a non-empty string; got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Fills in Glow's defaults and validates. Option names match case-insensitively (as in Spark);
 * booleans and numbers may be given as strings.
 * @throws GlowtsError `OPTION` for an unknown option or a bad value.
 */
export function normalizeBgenOptions(options: Record<string, unknown> | undefined): BgenReadOptions {
  const out: BgenReadOptions = { ...bgenDefaults };
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value === undefined) continue;
    const name = NAMES.find((n) => n.toLowerCase() === key.toLowerCase());
    if (!name) {
      throw new GlowtsError("OPTION", `${CALLER}: unknown option '${key}'; known options: ${NAMES.join(", ")}`, { option: key });
    }
    switch (name) {
      case "useBgenIndex":
      case "emitHardCalls":
      case "includeSampleIds":
      case "ignoreExtension":
        out[name] = toBool(name, value);
        break;
      case "hardCallThreshold":
        out.hardCallThreshold = toNumber(name, value);
        break;
      case "sampleFilePath":
        out.sampleFilePath = toStr(name, value);
        break;
      case "sampleIdColumn":
        out.sampleIdColumn = toStr(name, value);
        break;
    }
  }
  return out;
}
