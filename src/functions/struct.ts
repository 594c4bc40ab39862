/** Glow's struct functions: `subset_struct(struct, *fields)` and `add_struct_fields(struct, *name, value)`. */
import { GlowtsError } from "../errors.js";
import type { Column, DataType, StructColumn } from "../frame/column.js";

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
