// The .bim scan that plans PLINK partitions: record count, partition cuts (each partition's first
// record, its line number in errors), contig names in first-seen order, over a .bim larger than the
// scan's 4 MB read chunk with CRLF lines, comments, blank lines, leading blanks, a line longer than
// 256 bytes and no final newline. Oracle: the file split into lines here (records = lines neither
// blank nor starting with '#'); exact.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { plinkReader } from "../../../dist/io/plink/reader.js";
import type { StringColumn, VariantBatch } from "../../../dist/core/column.js";
import { seeded } from "../../helpers/seeded.js";

/** The reader's plan and every partition read, as the engine would (without workers). */
async function readPlink(bed: string, context: Record<string, unknown>): Promise<{ plan: Awaited<ReturnType<typeof plinkReader.plan>>; batches: VariantBatch[] }> {
  const opts = plinkReader.normalizeOptions({});
  const plan = await plinkReader.plan([bed], opts, context);
  const batches: VariantBatch[] = [];
  for (const p of plan.partitions) batches.push(await plinkReader.readPartition(p, plan.meta, opts));
  return { plan, batches };
}

const dir = mkdtempSync(path.join(tmpdir(), "glowts-bim-scan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("plink .bim scan", () => {
  it("counts, cuts and contigs equal a line split of a 5 MB .bim (CRLF, comments, blank lines, no final newline)", async () => {
    const rnd = seeded(5);
    const lines: string[] = [];
    const records: { contig: string; name: string }[] = [];
    const contigs = ["1", "2", "X", "chrUn_" + "k".repeat(300)];
    let c = 0;
    for (let i = 0; i < 110_000; i++) {
      const u = rnd();
      if (u < 0.002) { lines.push(u < 0.001 ? "# a comment" : "   "); continue; }
      if (rnd() < 0.0005) c = Math.min(contigs.length - 1, c + 1);
      const name = `variant_${i}_${"x".repeat(Math.floor(rnd() * 20))}`;
      const lead = rnd() < 0.01 ? " \t" : "";
      const cr = rnd() < 0.3 ? "\r" : "";
      lines.push(`${lead}${contigs[c]}\t${name}\t0\t${i + 1}\tA\tG${cr}`);
      records.push({ contig: contigs[c]!.slice(0, 256), name });
    }
    const text = lines.join("\n"); // no final newline
    expect(text.length).toBeGreaterThan(5 * 1024 * 1024);
    const prefix = path.join(dir, "big");
    writeFileSync(`${prefix}.bim`, text);
    writeFileSync(`${prefix}.fam`, "f1 s1 0 0 1 -9\n");
    const bed = new Uint8Array(3 + records.length);
    bed.set([0x6c, 0x1b, 0x01]);
    writeFileSync(`${prefix}.bed`, bed);
    const vpp = 7777;
    const { plan, batches } = await readPlink(`${prefix}.bed`, { variantsPerPartition: vpp });
    expect(plan.partitions.length).toBe(Math.ceil(records.length / vpp));
    const names = batches.flatMap((b) => Array.from({ length: b.numRows }, (_, i) => ((b.columns["names"] as { child: StringColumn }).child.values[i])));
    expect(names).toEqual(records.map((r) => r.name));
    const got = batches.flatMap((b) => (b.columns["contigName"] as StringColumn).values.slice(0, b.numRows));
    expect(got).toEqual(records.map((r) => contigs.find((x) => x.slice(0, 256) === r.contig || x === r.contig)!));
    const meta = (plan.schema[0] as { metadata?: Record<string, string> }).metadata;
    const firstSeen = [...new Set(records.map((r) => r.contig))];
    expect(Object.values(meta ?? {})[0]).toBe(firstSeen.map((x) => `<ID=${x}>`).join("\n"));
    // each partition's first record: its line number (1-based, counting comments and blank lines)
    const lineOf: number[] = [];
    lines.forEach((l, i) => { const t = l.trim(); if (t !== "" && t[0] !== "#") lineOf.push(i + 1); });
    expect(plan.partitions.map((p) => (p as unknown as { bimFirstLine: number }).bimFirstLine)).toEqual(plan.partitions.map((_, k) => lineOf[k * vpp]));
  });
});
