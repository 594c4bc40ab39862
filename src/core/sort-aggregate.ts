/** Sort keys and aggregate expressions: the arguments of `orderBy` and `groupBy().agg()`. */
import type { Col } from "../core/expr.js";
import type { AggregateSpec } from "./plan.js";

/** A sort key with its direction (made by `glow.functions.asc` / `glow.functions.desc`). */
export class SortOrder {
  constructor(readonly col: Col, readonly ascending: boolean) {}
}

/** An aggregate function for `groupBy().agg()` (made by `glow.functions.count/sum/mean`). */
export class AggregateExpr {
  constructor(readonly spec: AggregateSpec) {}
  /** Names the output column. */
  alias(name: string): AggregateExpr { return new AggregateExpr({ ...this.spec, name }); }
}
