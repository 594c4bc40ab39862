/**
 * The gff reader on Glow's GFF fixtures (glow/gff/), against Glow's documented schema and an awk
 * extraction of the same files (feature lines before ##FASTA: $1, $3, $4-1, $5, ID=). Exact.
 */
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { gffReader } from "../../../dist/io/gff/reader.js";
import { concatBatches, getValue, typeToString } from "../../../dist/core/column.js";
import type { VariantBatch } from "../../../dist/core/column.js";
import { GlowtsError } from "../../../dist/core/errors.js";
import * as glow from "../../../dist/index.js";

const GFF = path.resolve(process.cwd(), "../shared/data/glow/gff");
const HAS = existsSync(GFF);
const PLAIN = path.join(GFF, "test_gff_with_fasta.gff");

async function readGff(files: string[]): Promise<{ batch: VariantBatch; schema: string[] }> {
  const opts = gffReader.normalizeOptions({});
  const plan = await gffReader.plan(files, opts, {});
  const batches: VariantBatch[] = [];
  for (const p of plan.partitions) batches.push(await gffReader.readPartition(p, plan.meta, opts));
  return { batch: concatBatches(batches), schema: plan.schema.map((f) => `${f.name}:${typeToString(f.type)}`) };
}

/** awk's view of the plain file: seqId, type, 0-based start, end, ID per feature line. */
function awkRows(file: string): string[][] {
  const prog = '/^##FASTA/{exit} /^>/{exit} /^#/{next} NF==0{next} {id=""; n=split($9,a,";"); for(i=1;i<=n;i++) if (a[i] ~ /^ID=/) id=substr(a[i],4); print $1"\\t"$3"\\t"($4-1)"\\t"$5"\\t"id}';
  return execFileSync("awk", ["-F", "\t", prog, file], { encoding: "utf8" }).trim().split("\n").map((l) => l.split("\t"));
}

function column(b: VariantBatch, name: string): unknown[] {
  const c = b.columns[name]!;
  return Array.from({ length: b.numRows }, (_, i) => getValue(c, i));
}

describe.skipIf(!HAS)("gff reader vs Glow's fixtures and awk", () => {
  it("has Glow's schema: base columns, official tags in Glow's order, other tags alphabetically", async () => {
    const { schema } = await readGff([PLAIN]);
    expect(schema.slice(0, 8)).toEqual([
      "seqId:string", "source:string", "type:string", "start:long", "end:long", "score:double", "strand:string", "phase:int",
    ]);
    expect(schema.slice(8, 13)).toEqual(["ID:string", "Name:string", "Parent:array<string>", "Dbxref:array<string>", "Is_circular:boolean"]);
    const others = schema.slice(13).map((s) => s.split(":")[0]!);
    expect(others).toEqual([...others].sort());
    expect(others).toContain("test space");
    expect(others).toContain("gene_biotype");
  });

  for (const f of ["test_gff_with_fasta.gff", "test_gff_with_fasta.gff.gz", "test_gff_with_fasta.gff.bgz", "test_gff_with_fasta_bgzip.gff.gz"]) {
    it(`${f}: every feature line before ##FASTA equals awk's fields`, async () => {
      const { batch } = await readGff([path.join(GFF, f)]);
      const want = awkRows(PLAIN);
      expect(batch.numRows).toBe(want.length);
      expect(want.length).toBeGreaterThan(10);
      const got = [column(batch, "seqId"), column(batch, "type"), column(batch, "start"), column(batch, "end"), column(batch, "ID")];
      for (let i = 0; i < want.length; i++) {
        expect([got[0]![i], got[1]![i], String(got[2]![i]), String(got[3]![i]), got[4]![i] ?? ""]).toEqual(want[i]);
      }
    });
  }

  it("parses '.' as null, score as double, lists on ',' and Is_circular as boolean (Glow's behaviour)", async () => {
    const { batch } = await readGff([PLAIN]);
    expect(getValue(batch.columns.score!, 0)).toBeNull();
    expect(getValue(batch.columns.score!, 3)).toBe(1.5);
    expect(getValue(batch.columns.strand!, 1)).toBeNull();
    expect(getValue(batch.columns.phase!, 0)).toBe(1);
    expect(getValue(batch.columns.Dbxref!, 0)).toEqual(["taxon:9606", "test"]);
    expect(getValue(batch.columns.Is_circular!, 0)).toBe(false);
    expect(getValue(batch.columns.Is_circular!, 1)).toBeNull();
    expect(getValue(batch.columns["test space"]!, 1)).toBe("passed");
  });

  it("matches tags ignoring case and underscores (multicase fixture gives the same Name values)", async () => {
    const a = await readGff([PLAIN]);
    const b = await readGff([path.join(GFF, "test_gff_with_fasta_multicase_attribute.gff")]);
    expect(column(b.batch, "Name")).toEqual(column(a.batch, "Name"));
  });

  it("an empty file has the base schema and no rows; glow.read counts the features", async () => {
    const { batch, schema } = await readGff([path.join(GFF, "test_gff_empty.gff")]);
    expect(batch.numRows).toBe(0);
    expect(schema.length).toBe(8);
    expect(await glow.read("gff", PLAIN).count()).toBe(awkRows(PLAIN).length);
  });

  it("a malformed line is a GlowtsError naming file and line", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const dir = mkdtempSync(path.join((await import("node:os")).tmpdir(), "gff-"));
    const bad = path.join(dir, "bad.gff");
    writeFileSync(bad, "##gff-version 3\nchr1\tx\tgene\t1\n");
    const err = await readGff([bad]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GlowtsError);
    expect((err as GlowtsError).record).toBe("line 2");
    expect((err as GlowtsError).file).toBe(bad);
  });
});
