/**
 * Column expressions: a small, serializable expression tree (plain JSON) that the plan sends to the
 * worker threads, wrapped in the {@link Col} class for a fluent, Spark-like surface.
 *
 * @example
 * ```ts
 * const f = glow.read("vcf", "x.vcf.gz")
 *   .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")))
 *   .filter(glow.functions.arraySize(glow.functions.arrayDistinct("values")).gt(1));
 * ```
 */

/** Plain-data expression node. */
export type ExprNode =
  | { op: "col"; name: string }
  | { op: "lit"; value: string | number | boolean | null }
  | { op: "fn"; name: string; args: ExprNode[]; params?: Record<string, unknown> }
  | { op: "cmp"; cmp: CmpOp; left: ExprNode; right: ExprNode }
  | { op: "bool"; bool: "and" | "or"; left: ExprNode; right: ExprNode }
  | { op: "not"; arg: ExprNode }
  | { op: "arith"; arith: "+" | "-" | "*" | "/"; left: ExprNode; right: ExprNode }
  | { op: "isNull"; arg: ExprNode; negate: boolean }
  | { op: "alias"; name: string; arg: ExprNode };

export type CmpOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

/** Anything that can stand for a column: a Col, a column name, or (where a value is expected) a literal. */
export type ColLike = Col | string;
export type ValueLike = Col | string | number | boolean | null;

/** A column expression. Immutable; every method returns a new Col. */
export class Col {
  constructor(readonly node: ExprNode) {}

  /** Equal to (Spark `===`). */
  eq(v: ValueLike): Col { return cmp("==", this, v); }
  /** Not equal to. */
  ne(v: ValueLike): Col { return cmp("!=", this, v); }
  /** Less than. */
  lt(v: ValueLike): Col { return cmp("<", this, v); }
  /** Less than or equal. */
  le(v: ValueLike): Col { return cmp("<=", this, v); }
  /** Greater than. */
  gt(v: ValueLike): Col { return cmp(">", this, v); }
  /** Greater than or equal. */
  ge(v: ValueLike): Col { return cmp(">=", this, v); }
  /** Logical and. */
  and(v: Col): Col { return new Col({ op: "bool", bool: "and", left: this.node, right: v.node }); }
  /** Logical or. */
  or(v: Col): Col { return new Col({ op: "bool", bool: "or", left: this.node, right: v.node }); }
  /** Logical not. */
  not(): Col { return new Col({ op: "not", arg: this.node }); }
  plus(v: ValueLike): Col { return arith("+", this, v); }
  minus(v: ValueLike): Col { return arith("-", this, v); }
  times(v: ValueLike): Col { return arith("*", this, v); }
  div(v: ValueLike): Col { return arith("/", this, v); }
  isNull(): Col { return new Col({ op: "isNull", arg: this.node, negate: false }); }
  isNotNull(): Col { return new Col({ op: "isNull", arg: this.node, negate: true }); }
  /** True where the value is one of `values` (Spark's `isin`); for an array, where any element is. */
  isin(values: (string | number)[]): Col { return new Col({ op: "fn", name: "isIn", args: [stripAlias(this.node)], params: { values: [...values] } }); }
  /** Field of a struct column (Spark's `getField`). */
  getField(field: string): Col { return new Col({ op: "fn", name: "getField", args: [stripAlias(this.node)], params: { field } }); }
  /** Element of an array column (Spark's `getItem`; null when out of range). */
  getItem(index: number): Col { return new Col({ op: "fn", name: "getItem", args: [stripAlias(this.node)], params: { index } }); }
  /** Names the expression's output column. */
  alias(name: string): Col { return new Col({ op: "alias", name, arg: stripAlias(this.node) }); }
  /** The output column name Spark would give this expression. */
  get name(): string { return exprName(this.node); }
  toString(): string { return exprToString(this.node); }
}

function stripAlias(n: ExprNode): ExprNode { return n.op === "alias" ? n.arg : n; }

/** A column reference. */
export function col(name: string): Col { return new Col({ op: "col", name }); }
/** A literal value. */
export function lit(value: string | number | boolean | null): Col { return new Col({ op: "lit", value }); }

/** Column name → Col; Col → itself. */
export function toCol(c: ColLike): Col { return typeof c === "string" ? col(c) : c; }
/** Value → literal Col, Col → itself. Strings are literals here (as in Spark's `col === "x"`). */
export function toValue(v: ValueLike): Col { return v instanceof Col ? v : lit(v); }

function cmp(op: CmpOp, a: Col, b: ValueLike): Col {
  return new Col({ op: "cmp", cmp: op, left: a.node, right: toValue(b).node });
}
function arith(op: "+" | "-" | "*" | "/", a: Col, b: ValueLike): Col {
  return new Col({ op: "arith", arith: op, left: a.node, right: toValue(b).node });
}

/** Builds a function-call expression (used by glow.functions). */
export function fnCall(name: string, args: ColLike[], params?: Record<string, unknown>): Col {
  const node: ExprNode = { op: "fn", name, args: args.map((a) => toCol(a).node) };
  if (params !== undefined) node.params = params;
  return new Col(node);
}

/** The Spark-style output name of an expression. */
export function exprName(n: ExprNode): string {
  switch (n.op) {
    case "col": return n.name;
    case "alias": return n.name;
    default: return exprToString(n);
  }
}

/** Human-readable form (used by explain()). */
export function exprToString(n: ExprNode): string {
  switch (n.op) {
    case "col": return n.name;
    case "lit": return typeof n.value === "string" ? `'${n.value}'` : String(n.value);
    case "fn": {
      const args = n.args.map(exprToString);
      if (n.params) for (const [k, v] of Object.entries(n.params)) if (v !== undefined) args.push(`${k}=${JSON.stringify(v)}`);
      return `${snake(n.name)}(${args.join(", ")})`;
    }
    case "cmp": return `(${exprToString(n.left)} ${n.cmp} ${exprToString(n.right)})`;
    case "bool": return `(${exprToString(n.left)} ${n.bool.toUpperCase()} ${exprToString(n.right)})`;
    case "not": return `(NOT ${exprToString(n.arg)})`;
    case "arith": return `(${exprToString(n.left)} ${n.arith} ${exprToString(n.right)})`;
    case "isNull": return `(${exprToString(n.arg)} IS ${n.negate ? "NOT " : ""}NULL)`;
    case "alias": return `${exprToString(n.arg)} AS ${n.name}`;
  }
}

function snake(s: string): string { return s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`); }

/** Columns an expression reads. */
export function referencedColumns(n: ExprNode, out = new Set<string>()): Set<string> {
  switch (n.op) {
    case "col": out.add(n.name); break;
    case "lit": break;
    case "fn": n.args.forEach((a) => referencedColumns(a, out)); break;
    case "cmp": case "bool": case "arith": referencedColumns(n.left, out); referencedColumns(n.right, out); break;
    case "not": case "isNull": case "alias": referencedColumns(n.arg, out); break;
  }
  return out;
}
