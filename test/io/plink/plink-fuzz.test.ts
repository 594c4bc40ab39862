/**
 * Seeded fuzz of the plink reader: thousands of truncations and byte edits of .bed/.bim/.fam.
 * Oracle: the reader either returns consistent rows (one per .bim record, calls in {-1,0,1}) or
 * throws a GlowtsError; any other exception, a hang or a silent partial result fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { plinkReader } from "../../../dist/io/plink/reader.js";
import type { GenotypesColumn, IntColumn, ListColumn } from "../../../dist/core/column.js";
import { GlowtsError } from "../../../dist/core/errors.js";
import { seeded as seededRandom } from "../../helpers/seeded.js";

const DATA = path.resolve(process.cwd(), "../shared/data");
const HAS_DATA = existsSync(DATA);
if (!HAS_DATA) console.warn(`plink fuzz skipped: reference data folder ${DATA} is absent`);


type Files = { bed: Buffer; bim: Buffer; fam: Buffer };

const SPECIAL = [0x0a, 0x09, 0x20, 0x23, 0x0d, 0x00, 0xff, 0x2e, 0x2d, 0x30];

function mutate(f: Files, rnd: () => number): Files {
  const out: Files = { bed: Buffer.from(f.bed), bim: Buffer.from(f.bim), fam: Buffer.from(f.fam) };
  const edits = 1 + Math.floor(rnd() * 3);
  for (let e = 0; e < edits; e++) {
    const which = (["bed", "bim", "fam"] as const)[Math.floor(rnd() * 3)]!;
    const b = out[which];
    const kind = Math.floor(rnd() * 5);
    const at = Math.floor(rnd() * Math.max(1, b.length));
    if (kind === 0) out[which] = b.subarray(0, at); // truncate
    else if (kind === 1 && b.length > 0) b[at] = Math.floor(rnd() * 256); // random byte
    else if (kind === 2 && b.length > 0) b[at] = SPECIAL[Math.floor(rnd() * SPECIAL.length)]!; // delimiter-ish byte
    else if (kind === 3) out[which] = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]); // delete a byte
    else out[which] = Buffer.concat([b.subarray(0, at), Buffer.from([SPECIAL[Math.floor(rnd() * SPECIAL.length)]!]), b.subarray(at)]); // insert
  }
  return out;
}

describe.skipIf(!HAS_DATA)("plink reader fuzz (seeded; needs ../shared/data)", () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), "glowts-plink-fuzz-")); });
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  it("2000 mutated bed/bim/fam sets: success with consistent rows, or GlowtsError only (< 10 s)", async () => {
    const five = path.join(DATA, "glow/plink/five-samples-five-variants/bed-bim-fam/test");
    const bases: Files[] = [
      { bed: readFileSync(`${five}.bed`), bim: readFileSync(`${five}.bim`), fam: readFileSync(`${five}.fam`) },
    ];
    // A synthetic base with 7 samples (padding bits in use) and 9 variants on 3 contigs.
    const rnd0 = seededRandom(1);
    const famLines = Array.from({ length: 7 }, (_, i) => `f${i} i${i} 0 0 ${1 + (i % 2)} -9`);
    const bimLines = Array.from({ length: 9 }, (_, v) => `${1 + (v % 3)}\trs${v}\t${v * 0.1}\t${1000 + v}\tA\tG`);
    const bed = Buffer.alloc(3 + 9 * 2);
    bed.set([0x6c, 0x1b, 0x01]);
    for (let i = 3; i < bed.length; i++) bed[i] = Math.floor(rnd0() * 256);
    bases.push({ bed, bim: Buffer.from(bimLines.join("\n") + "\n"), fam: Buffer.from(famLines.join("\n") + "\n") });

    const rnd = seededRandom(20240611);
    const prefix = path.join(dir, "fz");
    let ok = 0;
    let failed = 0;
    const codes = new Map<string, number>();
    const t0 = Date.now();
    const cpu0 = process.cpuUsage();
    for (let it = 0; it < 2000; it++) {
      const m = mutate(bases[it % bases.length]!, rnd);
      writeFileSync(`${prefix}.bed`, m.bed);
      writeFileSync(`${prefix}.bim`, m.bim);
      writeFileSync(`${prefix}.fam`, m.fam);
      const opts = plinkReader.normalizeOptions({});
      try {
        const plan = await plinkReader.plan([`${prefix}.bed`], opts, { variantsPerPartition: 1 + Math.floor(rnd() * 4) });
        let rows = 0;
        for (const p of plan.partitions) {
          const b = await plinkReader.readPartition(p, plan.meta, opts);
          const g = b.columns.genotypes as GenotypesColumn;
          const calls = (g.fields.calls as ListColumn).child as IntColumn;
          expect(calls.values.length).toBe(b.numRows * g.nSamples * 2);
          for (const c of calls.values) if (c < -1 || c > 1) throw new Error(`bad call ${c}`);
          expect(b.numRows).toBe(p.estimatedRows);
          rows += b.numRows;
        }
        expect(rows).toBe(plan.partitions.reduce((s, p) => s + (p.estimatedRows ?? 0), 0));
        ok++;
      } catch (e) {
        if (!(e instanceof GlowtsError)) throw new Error(`iteration ${it}: non-GlowtsError ${String((e as Error)?.stack ?? e)}`);
        expect(e.file, `iteration ${it}: error names a file`).toMatch(/fz\.(bed|bim|fam)$/);
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
        failed++;
      }
    }
    const ms = Date.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(`plink fuzz: ${ok} ok, ${failed} GlowtsError ${JSON.stringify(Object.fromEntries(codes))} in ${ms} ms wall, ${cpuMs.toFixed(0)} ms CPU`);
    expect(ok + failed).toBe(2000);
    expect(ok).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0);
    // Budget: 10 s of CPU (wall time depends on other processes sharing the machine).
    expect(cpuMs).toBeLessThan(10_000);
  });
});
