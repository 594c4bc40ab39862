// The TSV writer's `splitBy` (the `.regenie` files of `glowts step2`): one file per value of the
// column, the column itself not written, a header in every file (also one listed in `splitValues`
// without rows), rows in partition order, `splitFileNames` in place of the last `{}` of the path,
// and the files committed all or nothing. Oracle: the rows given, formatted by the writer's stated
// rule (6 significant digits, non-finite → NA).
import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { encodeTsvPart, tsvWriter } from "../../../dist/io/writers/tsv.js";
import type { VariantBatch } from "../../../dist/core/column.js";

const p6 = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : "NA");

function batch(ids: string[], xs: number[], traits: string[]): VariantBatch {
  return { numRows: ids.length, columns: { ID: { type: "string", values: ids }, X: { type: "double", values: Float64Array.from(xs) }, phenotype: { type: "string", values: traits } } };
}

async function write(file: string, parts: VariantBatch[], options: Record<string, unknown>): Promise<void> {
  const { spec, sink } = await tsvWriter.prepare({ path: file, options: { delimiter: " ", precision: 6, nullValue: "NA", splitBy: "phenotype", ...options }, schema: null, sampleIds: null });
  try {
    for (const b of parts) await sink.append(encodeTsvPart(b, spec.options));
    await sink.commit();
  } catch (e) { await sink.abort(); throw e; }
}

describe("tsv splitBy", () => {
  it("one file per value, rows in order, header everywhere, the last {} replaced by the file name", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "glowts-tsv-split-")), "run{}"); // a folder with {} in its name
    mkdirSync(dir);
    const parts = [batch(["a", "b", "c"], [1 / 3, 2e-7, NaN], ["Y1", "Y 2", "Y1"]), batch(["d"], [123456789.123, ], ["Y 2"])];
    await write(path.join(dir, "out_{}.regenie"), parts, { splitValues: ["Y1", "Y 2", "Z"], splitFileNames: { "Y 2": "Y_2" } });
    expect(readdirSync(dir).sort()).toEqual(["out_Y1.regenie", "out_Y_2.regenie", "out_Z.regenie"]);
    const rows = parts.flatMap((b) => Array.from({ length: b.numRows }, (_, i) => ({ id: (b.columns["ID"] as { values: string[] }).values[i]!, x: (b.columns["X"] as { values: Float64Array }).values[i]!, t: (b.columns["phenotype"] as { values: string[] }).values[i]! })));
    for (const [t, f] of [["Y1", "out_Y1.regenie"], ["Y 2", "out_Y_2.regenie"], ["Z", "out_Z.regenie"]] as const) {
      const want = ["ID X", ...rows.filter((r) => r.t === t).map((r) => `${r.id} ${p6(r.x)}`)].join("\n") + "\n";
      expect(readFileSync(path.join(dir, f), "utf8")).toBe(want);
    }
  });

  it("a file that cannot be renamed into place leaves none of the files", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "glowts-tsv-split-"));
    mkdirSync(path.join(dir, "out_B.regenie")); // a folder where the second file goes
    await expect(write(path.join(dir, "out_{}.regenie"), [batch(["a", "b"], [1, 2], ["A", "B"])], { splitValues: ["A", "B"] })).rejects.toThrow(/out_B\.regenie/);
    expect(readdirSync(dir)).toEqual(["out_B.regenie"]);
  });
});
