/** Struct functions: Spark's `getField` and Glow's `expand_struct`. */
import { structField, type Column, type DataType, type StructColumn } from "../core/column.js";
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

/** Glow's struct functions: `subset_struct(struct, *fields)` and `add_struct_fields(struct, *name, value)`. */

/** Column kernel of `subset_struct`: a struct with only the named fields, in the order given. */
export function subsetStructColumn(c: Column, fields: string[]): StructColumn {
  if (c.type !== "struct") throw new GlowtsError("TYPE", `subset_struct: expected a struct, got ${c.type}`);
  const out: Record<string, Column> = {};
  for (const f of fields) {
    const x = c.fields[f];
    if (!x) throw new GlowtsError("COLUMN", `subset_struct: no field '${f}'; fields: ${Object.keys(c.fields).join(", ")}`);
    out[f] = x;
  }
  return { type: "struct", fields: out, nulls: c.nulls };
}

/** Column kernel of `add_struct_fields`: the struct with `names[i] = values[i]` appended (a field of the same name is replaced). */
export function addStructFieldsColumn(c: Column, names: string[], values: Column[]): StructColumn {
  if (c.type !== "struct") throw new GlowtsError("TYPE", `add_struct_fields: expected a struct, got ${c.type}`);
  if (names.length !== values.length) throw new GlowtsError("OPTION", "add_struct_fields: give one value per field name");
  const out: Record<string, Column> = { ...c.fields };
  names.forEach((n, i) => { out[n] = values[i]!; });
  return { type: "struct", fields: out, nulls: c.nulls };
}

/** Output type of `subset_struct`. */
export function subsetStructType(t: DataType, fields: string[]): DataType {
  if (typeof t !== "object" || !("struct" in t)) throw new GlowtsError("TYPE", "subset_struct: expected a struct");
  return {
    struct: fields.map((f) => {
      const x = t.struct.find((y) => y.name === f);
      if (!x) throw new GlowtsError("COLUMN", `subset_struct: no field '${f}'`);
      return x;
    }),
  };
}

/** Output type of `add_struct_fields`. */
export function addStructFieldsType(t: DataType, names: string[], valueTypes: DataType[]): DataType {
  if (typeof t !== "object" || !("struct" in t)) throw new GlowtsError("TYPE", "add_struct_fields: expected a struct");
  const kept = t.struct.filter((f) => !names.includes(f.name));
  return { struct: [...kept, ...names.map((name, i) => ({ name, type: valueTypes[i]! }))] };
}
