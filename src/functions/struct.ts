/** Struct functions: Spark's `getField` and Glow's `expand_struct`. */
import { structField } from "../core/column.js";
import { GlowtsError } from "../core/errors.js";
import { registerFunction } from "../core/function-registry.js";

registerFunction("expandStruct", {
  // Only meaningful inside select (handled there); elsewhere it is the struct itself.
  evaluate: ([a]) => a!,
  type: ([t]) => t!,
});

registerFunction("getField", {
  evaluate: ([a], p) => structField(a!, String(p["field"])),
  type: ([t], p) => {
    if (typeof t === "object" && "struct" in t) {
      const f = t.struct.find((x) => x.name === p["field"]);
      if (f) return f.type;
    }
    throw new GlowtsError("COLUMN", `no field '${String(p["field"])}'`);
  },
});
