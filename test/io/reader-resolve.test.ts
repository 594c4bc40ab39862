// The workers' reader lookup (io/reader-resolve.ts, each built-in imported on first use) gives the
// same reader objects as the calling thread's registry for every built-in format, and an unknown
// format is the registry's error. Oracle: io/registry.ts.
import { describe, expect, it } from "vitest";
import { getReader, readerFormats } from "../../dist/io/registry.js";
import { resolveReader } from "../../dist/io/reader-resolve.js";

describe("resolveReader (workers) = getReader (calling thread)", () => {
  it("every built-in format, in any case", async () => {
    const formats = readerFormats();
    expect(formats.length).toBeGreaterThanOrEqual(7);
    for (const f of formats) {
      expect(await resolveReader(f), f).toBe(getReader(f));
      expect(await resolveReader(f.toUpperCase()), f).toBe(getReader(f));
    }
  });
  it("an unknown format is rejected as by the registry", async () => {
    await expect(resolveReader("nosuchformat")).rejects.toThrow(/unknown format 'nosuchformat'/);
  });
});
