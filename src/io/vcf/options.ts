/** Options of the VCF reader (Glow's `spark.read.format("vcf")` options, camelCased). */
import { GlowtsError, keyword, optionError } from "../../core/errors.js";
import type { ValidationStringency } from "./header.js";

/** Options of `glow.read("vcf", path, options)`. */
export interface VcfReadOptions {
  /** Add `sampleId` to each genotype. @defaultValue true */
  includeSampleIds: boolean;
  /** One `INFO_<ID>` column per INFO header line; false gives an `attributes` key/value list. @defaultValue true */
  flattenInfoFields: boolean;
  /**
   * How malformed records are treated (Glow's `validationStringency`, default `silent` as in Glow).
   * A value that does not match its header type: `silent` makes it null, `lenient` makes it null
   * and warns naming the line, `strict` throws. A line with fewer sample columns than the header
   * has samples: `strict` throws `VCF_PARSE` naming the line, `lenient` drops the line with a
   * warning naming it, `silent` drops it (one notice per partition gives the count and the first
   * line). Whatever the stringency, a line with fewer than 8 columns throws `VCF_PARSE`, and a
   * last line without a newline that is not a complete record throws `VCF_TRUNCATED`.
   * @defaultValue "silent"
   */
  validationStringency: ValidationStringency;
  /** Use a `.tbi` next to a BGZF file to read only the chunks overlapping a pushed-down region. @defaultValue true */
  useTabixIndex: boolean;
  /** Use the pushed-down contigName/start/end region to drop rows before parsing their genotypes. @defaultValue true */
  useFilterParser: boolean;
}

/** Glow's defaults. */
export const vcfReadDefaults: Readonly<VcfReadOptions> = {
  includeSampleIds: true,
  flattenInfoFields: true,
  validationStringency: "silent",
  useTabixIndex: true,
  useFilterParser: true,
};

const CALLER = "read(vcf)";
const BOOLEAN_OPTIONS = ["includeSampleIds", "flattenInfoFields", "useTabixIndex", "useFilterParser"] as const;
const KNOWN = [...BOOLEAN_OPTIONS, "validationStringency", "splitToBiallelic"];

function canonical(name: string): string | undefined {
  const k = name.toLowerCase().replace(/_/g, "");
  return KNOWN.find((x) => x.toLowerCase() === k);
}

function asBoolean(option: string, v: unknown): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
  return optionError(CALLER, option, `must be true or false; got ${JSON.stringify(v)}`);
}

/**
 * Fills in Glow's defaults and checks the options. Names are matched case-insensitively (and
 * snake_case works), as Spark does; booleans may be given as `"true"`/`"false"`.
 * @throws GlowtsError `OPTION` for an unknown option or value, for `splitToBiallelic` (removed in
 *   Glow: use the `split_multiallelics` transformer), and for `useFilterParser: false` with
 *   `useTabixIndex: true` (Glow rejects that combination too)
 */
export function normalizeVcfOptions(options: Record<string, unknown>): VcfReadOptions {
  const out: VcfReadOptions = { ...vcfReadDefaults };
  for (const [name, value] of Object.entries(options ?? {})) {
    if (value === undefined) continue;
    const key = canonical(name);
    if (!key) optionError(CALLER, name, `is not a vcf option; known options: ${KNOWN.filter((k) => k !== "splitToBiallelic").join(", ")}`);
    if (key === "splitToBiallelic") {
      if (asBoolean(name, value)) {
        throw new GlowtsError(
          "OPTION",
          `${CALLER}: the VCF reader does not support the "splitToBiallelic" option anymore. To split multiallelic variants use the split_multiallelics transformer after reading the VCF: glow.transform("split_multiallelics", df).`,
          { option: name },
        );
      }
      continue;
    }
    if (key === "validationStringency") {
      out.validationStringency = keyword(CALLER, name, String(value), ["silent", "lenient", "strict"] as const);
    } else {
      out[key as (typeof BOOLEAN_OPTIONS)[number]] = asBoolean(name, value);
    }
  }
  if (!out.useFilterParser && out.useTabixIndex) {
    optionError(CALLER, "useFilterParser", "can be false only with useTabixIndex: false (the tabix index is used through the filter parser)");
  }
  return out;
}
