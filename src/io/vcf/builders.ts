/**
 * Growable column builders used by the VCF decoder. Each builder holds one value per *element*
 * (a row for variant fields, a (row, sample) pair for genotype fields); elements start as null
 * (false for flags) and are overwritten when the input has a value. `finish()` returns exactly
 * sized typed arrays so that batches move between threads without copies.
 */
import type { Column, ListColumn } from "../../core/column.js";

export class GrowI32 {
  a: Int32Array;
  n = 0;
  constructor(cap = 64) { this.a = new Int32Array(cap); }
  ensure(n: number): void {
    if (n <= this.a.length) return;
    let cap = this.a.length * 2;
    while (cap < n) cap *= 2;
    const b = new Int32Array(cap);
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  push(v: number): void {
    if (this.n === this.a.length) this.ensure(this.n + 1);
    this.a[this.n++] = v;
  }
  finish(): Int32Array { return this.a.slice(0, this.n); }
}

export class GrowF64 {
  a: Float64Array;
  n = 0;
  constructor(cap = 64) { this.a = new Float64Array(cap); }
  ensure(n: number): void {
    if (n <= this.a.length) return;
    let cap = this.a.length * 2;
    while (cap < n) cap *= 2;
    const b = new Float64Array(cap);
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  push(v: number): void {
    if (this.n === this.a.length) this.ensure(this.n + 1);
    this.a[this.n++] = v;
  }
  finish(): Float64Array { return this.a.slice(0, this.n); }
}

export class GrowU8 {
  a: Uint8Array;
  n = 0;
  constructor(cap = 64) { this.a = new Uint8Array(cap); }
  ensure(n: number): void {
    if (n <= this.a.length) return;
    let cap = this.a.length * 2;
    while (cap < n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  push(v: number): void {
    if (this.n === this.a.length) this.ensure(this.n + 1);
    this.a[this.n++] = v;
  }
  /** Appends `count` copies of `v`. */
  fill(v: number, count: number): void {
    this.ensure(this.n + count);
    this.a.fill(v, this.n, this.n + count);
    this.n += count;
  }
  finish(): Uint8Array { return this.a.slice(0, this.n); }
  /** The first `n` bytes, or undefined when none is set (an absent null mask). */
  finishMask(): Uint8Array | undefined {
    for (let i = 0; i < this.n; i++) if (this.a[i]) return this.a.slice(0, this.n);
    return undefined;
  }
}

export type ElementType = "int" | "double" | "string" | "boolean";

/** A scalar column: values plus a null mask, one element per slot. */
export class ScalarBuilder {
  readonly i32?: GrowI32;
  readonly f64?: GrowF64;
  readonly u8?: GrowU8;
  readonly str?: (string | null)[];
  readonly nulls = new GrowU8();
  n = 0;
  constructor(readonly type: ElementType, readonly nullDefault = true) {
    if (type === "int") this.i32 = new GrowI32();
    else if (type === "double") this.f64 = new GrowF64();
    else if (type === "boolean") this.u8 = new GrowU8();
    else this.str = [];
  }
  /** Pre-allocates room for `total` elements. */
  reserve(total: number): void {
    this.i32?.ensure(total);
    this.f64?.ensure(total);
    this.u8?.ensure(total);
    this.nulls.ensure(total);
  }
  /** Appends `count` default elements (null, or false for a non-nullable flag). */
  grow(count: number): void {
    const n = this.n + count;
    if (this.i32) { this.i32.ensure(n); this.i32.a.fill(0, this.n, n); this.i32.n = n; }
    else if (this.f64) { this.f64.ensure(n); this.f64.a.fill(0, this.n, n); this.f64.n = n; }
    else if (this.u8) { this.u8.ensure(n); this.u8.a.fill(0, this.n, n); this.u8.n = n; }
    else { for (let i = 0; i < count; i++) this.str!.push(null); }
    this.nulls.fill(this.nullDefault ? 1 : 0, count);
    this.n = n;
  }
  finish(): Column {
    const nulls = this.nulls.finishMask();
    if (this.i32) return { type: "int", values: this.i32.finish(), nulls };
    if (this.f64) return { type: "double", values: this.f64.finish(), nulls };
    if (this.u8) return { type: "boolean", values: this.u8.finish(), nulls };
    return { type: "string", values: this.str!.slice(0, this.n) };
  }
}

/**
 * A list column built element by element, in element order: each element's items are appended to
 * the child while it is the current one (`begin(e)` … `push*` … `end()`).
 */
export class ListBuilder {
  readonly lens = new GrowI32();
  readonly nulls = new GrowU8();
  readonly childI32?: GrowI32;
  readonly childF64?: GrowF64;
  readonly childStr?: (string | null)[];
  readonly childNulls = new GrowU8();
  n = 0;
  private cur = -1;
  private curStart = 0;
  constructor(readonly type: ElementType) {
    if (type === "int") this.childI32 = new GrowI32();
    else if (type === "double") this.childF64 = new GrowF64();
    else this.childStr = [];
  }
  /** Pre-allocates room for `total` elements. */
  reserve(total: number): void {
    this.lens.ensure(total);
    this.nulls.ensure(total);
  }
  grow(count: number): void {
    const n = this.n + count;
    this.lens.ensure(n);
    this.lens.a.fill(0, this.n, n);
    this.lens.n = n;
    this.nulls.fill(1, count);
    this.n = n;
  }
  get childLength(): number {
    return this.childNulls.n;
  }
  /** Starts element `e` (must not be before the last element written). Drops a previous value of `e`. */
  begin(e: number): void {
    if (e === this.cur) this.truncateChild(this.curStart);
    this.cur = e;
    this.curStart = this.childLength;
  }
  pushInt(v: number): void { this.childI32!.push(v); this.childNulls.push(0); }
  pushDouble(v: number): void { this.childF64!.push(v); this.childNulls.push(0); }
  pushString(v: string | null): void { this.childStr!.push(v); this.childNulls.push(v === null ? 1 : 0); }
  pushNull(): void {
    if (this.childI32) this.childI32.push(0);
    else if (this.childF64) this.childF64.push(0);
    else this.childStr!.push(null);
    this.childNulls.push(1);
  }
  /**
   * Ends the current element with Glow's array rules (`LineCtx.toGenericArrayData`): no items or a
   * single missing item → null; several items all missing → empty array; otherwise the items.
   */
  end(nullItems: number): void {
    const count = this.childLength - this.curStart;
    const e = this.cur;
    if (count === 0 || (count === 1 && nullItems === 1)) {
      this.truncateChild(this.curStart);
      this.lens.a[e] = 0;
      this.nulls.a[e] = 1;
    } else if (nullItems === count) {
      this.truncateChild(this.curStart);
      this.lens.a[e] = 0;
      this.nulls.a[e] = 0;
    } else {
      this.lens.a[e] = count;
      this.nulls.a[e] = 0;
    }
  }
  /** Drops the items of the current element and marks it null. */
  abort(): void {
    this.truncateChild(this.curStart);
    this.lens.a[this.cur] = 0;
    this.nulls.a[this.cur] = 1;
  }
  private truncateChild(n: number): void {
    if (this.childI32) this.childI32.n = n;
    else if (this.childF64) this.childF64.n = n;
    else this.childStr!.length = n;
    this.childNulls.n = n;
  }
  finish(): ListColumn {
    const offsets = new Int32Array(this.n + 1);
    for (let i = 0; i < this.n; i++) offsets[i + 1] = offsets[i]! + this.lens.a[i]!;
    const childNulls = this.childNulls.finishMask();
    let child: Column;
    if (this.childI32) child = { type: "int", values: this.childI32.finish(), nulls: childNulls };
    else if (this.childF64) child = { type: "double", values: this.childF64.finish(), nulls: childNulls };
    else child = { type: "string", values: this.childStr!.slice(0, this.childLength) };
    return { type: "list", child, offsets, nulls: this.nulls.finishMask() };
  }
}

/**
 * Genotype calls: `phased` plus `calls` per element. `calls` becomes a dense list (`width`) when
 * every non-null element has the same number of alleles, else a ragged one.
 */
export class CallsBuilder {
  readonly phased = new GrowU8();
  readonly phasedNulls = new GrowU8();
  readonly lens = new GrowI32();
  readonly nulls = new GrowU8();
  readonly child = new GrowI32(1024);
  n = 0;
  /** Common width of the non-null elements so far (-1: none yet, -2: mixed). */
  width = -1;
  anyNull = false;
  /** Pre-allocates room for `total` (diploid) elements. */
  reserve(total: number): void {
    this.phased.ensure(total);
    this.phasedNulls.ensure(total);
    this.lens.ensure(total);
    this.nulls.ensure(total);
    this.child.ensure(2 * total);
  }
  grow(count: number): void {
    const n = this.n + count;
    // Room for diploid calls of the new elements.
    this.child.ensure(this.child.n + 2 * count);
    this.phased.fill(0, count);
    this.phasedNulls.fill(1, count);
    this.lens.ensure(n);
    this.lens.a.fill(0, this.n, n);
    this.lens.n = n;
    this.nulls.fill(1, count);
    this.n = n;
  }
  /** Records element `e` whose alleles were just pushed to `child` (`count` of them). */
  set(e: number, phased: boolean, count: number): void {
    if (this.nulls.a[e] === 1) this.setCount++;
    this.phased.a[e] = phased ? 1 : 0;
    this.phasedNulls.a[e] = 0;
    this.lens.a[e] = count;
    this.nulls.a[e] = 0;
    if (this.width !== count) this.width = this.width === -1 ? count : -2;
  }
  /** Elements set so far (each at most once). */
  private setCount = 0;
  finishPhased(): Column {
    return { type: "boolean", values: this.phased.finish(), nulls: this.setCount === this.n ? undefined : this.phasedNulls.finish() };
  }
  finishCalls(): ListColumn {
    const nulls = this.setCount === this.n ? undefined : this.nulls.finish();
    const n = this.n;
    if (this.width > 0) {
      const w = this.width;
      if (!nulls) return { type: "list", child: { type: "int", values: this.child.finish() }, width: w };
      // Re-pack with -1 placeholders under the null elements.
      const dense = new Int32Array(n * w).fill(-1);
      let src = 0;
      for (let e = 0; e < n; e++) {
        if (nulls[e]) continue;
        dense.set(this.child.a.subarray(src, src + w), e * w);
        src += w;
      }
      return { type: "list", child: { type: "int", values: dense }, width: w, nulls };
    }
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + this.lens.a[i]!;
    return { type: "list", child: { type: "int", values: this.child.finish() }, offsets, nulls };
  }
}
