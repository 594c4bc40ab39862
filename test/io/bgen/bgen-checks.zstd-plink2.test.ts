/**
 * The BGEN block checks of issue 12, each against an external oracle on the same bytes:
 * `zstd -t` for zstd frames (checksum, trailing and short input), node:zlib for zlib streams
 * (Adler-32, trailing/short input), plink2 for layout-2 payloads (probability sums, ploidy).
 * Every rejection is a GlowtsError (`BGEN_DECOMPRESS` for the codecs, `BGEN_CORRUPT` for the payload).
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { deflateSync, inflateSync } from "node:zlib";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ensureZstd, inflateExact, zstdExact } from "../../../dist/io/bgen/decompress.js";
import { GlowtsError } from "../../../dist/core/errors.js";
import { haveTool, seeded } from "../fuzz-oracle.js";
import { readBgen, writeBgen } from "./bgen-read.js";

const HAVE_ZSTD = haveTool("zstd");
const HAVE_PLINK2 = haveTool("plink2");
if (!HAVE_ZSTD) console.warn("zstd frame checks skipped: the zstd CLI is not installed");
if (!HAVE_PLINK2) console.warn("BGEN payload checks against plink2 skipped: plink2 is not installed");
const tmp = mkdtempSync(path.join(tmpdir(), "glowts-bgen-checks-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function data(n: number): Uint8Array {
  const r = seeded(n);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 7));
}

function zstdCli(args: string[], input: Uint8Array): { status: number | null; stdout: Buffer } {
  const r = spawnSync("zstd", args, { input });
  return { status: r.status, stdout: r.stdout };
}

function expectCode(f: () => unknown, code: string, msg?: RegExp): void {
  let err: unknown;
  try { f(); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(GlowtsError);
  expect((err as GlowtsError).code).toBe(code);
  if (msg) expect((err as GlowtsError).message).toMatch(msg);
}

describe.skipIf(!HAVE_ZSTD)("zstd blocks vs zstd -t", () => {
  it("a damaged checksum, trailing bytes and a cut frame are BGEN_DECOMPRESS where zstd -t fails; the good frame decodes", async () => {
    await ensureZstd();
    const d = data(5000);
    const frame = new Uint8Array(zstdCli(["-q", "-c", "--check", "-"], d).stdout);
    expect(frame[4]! & 4).toBe(4); // Content_Checksum_flag
    expect(Buffer.from(zstdExact(frame, d.length)).equals(Buffer.from(d))).toBe(true);
    const badSum = frame.slice();
    badSum[badSum.length - 1]! ^= 0x10;
    const cases: [string, Uint8Array, RegExp][] = [
      ["checksum", badSum, /checksum/],
      ["trailing", Uint8Array.from([...frame, 0]), /compressed size|prefix|corrupt/],
      ["short", frame.subarray(0, frame.length - 3), /compressed size|corrupt/],
    ];
    for (const [what, bytes, msg] of cases) {
      expect(zstdCli(["-t", "-q", "-"], bytes).status, `zstd -t on ${what}`).not.toBe(0);
      expectCode(() => zstdExact(bytes, d.length), "BGEN_DECOMPRESS", msg);
    }
    // a stored length that differs from the frame's
    expectCode(() => zstdExact(frame, d.length + 1), "BGEN_DECOMPRESS", /declares|expected/);
  });

  it("seeded byte damage: every frame zstd -t rejects is rejected, every frame it accepts decodes to the same bytes", async () => {
    await ensureZstd();
    const d = data(3000);
    const frame = new Uint8Array(zstdCli(["-q", "-c", "--check", "-"], d).stdout);
    const r = seeded(77);
    let rejected = 0;
    for (let i = 0; i < 40; i++) {
      const b = frame.slice();
      const at = Math.floor(r() * b.length);
      b[at] = b[at]! ^ (1 << Math.floor(r() * 8));
      const cli = zstdCli(["-d", "-q", "-c", "-"], b);
      let ours: Uint8Array | null = null;
      try { ours = zstdExact(b, d.length); } catch (e) { if (!(e instanceof GlowtsError)) throw e; }
      if (cli.status !== 0) {
        rejected++;
        expect(ours, `byte ${at}`).toBeNull();
      } else if (ours) expect(Buffer.from(ours).equals(cli.stdout)).toBe(true);
    }
    expect(rejected).toBeGreaterThan(20);
  });
});

describe("zlib blocks vs node:zlib", () => {
  it("fflate and native paths reject a damaged Adler-32, trailing-free cuts and wrong lengths as node:zlib does", () => {
    const d = data(4000);
    const z = new Uint8Array(deflateSync(d));
    for (const js of [Infinity, 0]) {
      expect(Buffer.from(inflateExact(z, d.length, js)).equals(Buffer.from(d))).toBe(true);
      const bad = z.slice();
      bad[bad.length - 2]! ^= 1;
      expect(() => inflateSync(bad)).toThrow();
      expectCode(() => inflateExact(bad, d.length, js), "BGEN_DECOMPRESS", js === Infinity ? /Adler-32/ : /check|corrupt/);
      const cut = z.subarray(0, z.length - 6);
      expect(() => inflateSync(cut)).toThrow();
      expectCode(() => inflateExact(cut, d.length, js), "BGEN_DECOMPRESS");
      expectCode(() => inflateExact(z, d.length - 1, js), "BGEN_DECOMPRESS", /expected/);
      expectCode(() => inflateExact(z, d.length + 1, js), "BGEN_DECOMPRESS", /expected/);
    }
  });
});

describe.skipIf(!HAVE_PLINK2)("layout-2 payload checks vs plink2", () => {
  const ids = ["a", "b", "c"];
  const file = (name: string, stored: number[], ploidyBytes = [2, 2, 2]): string => {
    const p = path.join(tmp, `${name}.bgen`);
    writeFileSync(p, writeBgen({ layout: 2, compression: 1, bits: 8, sampleIds: ids, nSamples: 3, variants: [{ variantId: "v", rsid: "rs", chrom: "1", pos: 5, alleles: ["A", "G"], ploidyBytes, stored }] }));
    return p;
  };
  const plink2Accepts = (p: string): boolean =>
    spawnSync("plink2", ["--bgen", p, "ref-first", "--export", "vcf", "--out", path.join(tmp, "out")], { stdio: "ignore" }).status === 0;

  it("stored probabilities summing above 1 (256/255 included) are BGEN_CORRUPT naming the sample; plink2 rejects them too", async () => {
    const ok = file("ok", [255, 0, 0, 255, 100, 100]);
    expect(plink2Accepts(ok)).toBe(true);
    expect((await readBgen(ok)).rows).toHaveLength(1);
    for (const [name, stored] of [["over", [200, 100, 0, 255, 100, 100]], ["over1", [0, 255, 200, 56, 100, 100]]] as const) {
      const p = file(name, [...stored]);
      expect(plink2Accepts(p)).toBe(false);
      await expect(readBgen(p)).rejects.toMatchObject({ code: "BGEN_CORRUPT", file: p, record: expect.stringMatching(/variant 0/) });
      await expect(readBgen(p)).rejects.toThrow(/sample \d: stored probabilities sum to \d+\/255 > 1/);
    }
  });

  it("a ploidy byte outside the block's [min, max] or with the reserved bit 6 is BGEN_CORRUPT", async () => {
    // the synthetic writer puts min/max of the ploidies it is given: patch one ploidy byte after
    const p = file("ploidy", [255, 0, 0, 255, 100, 100]);
    const { readFileSync } = await import("node:fs");
    const b = new Uint8Array(readFileSync(p));
    // decompress, patch, recompress the block of the only variant
    const { decodeBgenHeader } = await import("../../../dist/io/bgen/header.js");
    const { decodeVariantHeader } = await import("../../../dist/io/bgen/variant.js");
    const h = decodeBgenHeader(b);
    const vh = decodeVariantHeader(b, h.firstVariantOffset, { layout: 2, compression: 1, nSamples: 3 });
    for (const [pb, msg] of [[3, /ploidy 3 outside the block's range \[2, 2\]/], [0x42, /reserved bit 6/]] as const) {
      const block = new Uint8Array(inflateSync(b.subarray(vh.blockStart + 8, vh.next)));
      block[8 + 1] = pb;
      const comp = deflateSync(block);
      const out = Buffer.concat([b.subarray(0, vh.blockStart), Buffer.from(new Uint32Array([comp.length + 4, block.length]).buffer), comp]);
      const q = path.join(tmp, `ploidy-${pb}.bgen`);
      writeFileSync(q, out);
      await expect(readBgen(q)).rejects.toMatchObject({ code: "BGEN_CORRUPT" });
      await expect(readBgen(q)).rejects.toThrow(msg);
    }
  });
});
