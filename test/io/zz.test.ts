import { it } from "vitest";
import { writeFileSync } from "node:fs";
import { seeded, mutateText } from "./fuzz-oracle.js";
it("x", () => {
  const src = Buffer.from("##h\n#CHROM\ta\n1\t2\t3\n4\t5\t6\n");
  const r = seeded(1);
  for (let i = 0; i < 6; i++) { const m = mutateText(src, r, 2); console.log(m.what, JSON.stringify(Buffer.from(m.bytes).toString())); }
});
