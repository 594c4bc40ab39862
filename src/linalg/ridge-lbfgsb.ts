/**
 * L-BFGS-B for problems without bounds, reproducing the arithmetic of L-BFGS-B 3.0 (Byrd, Lu,
 * Nocedal, Zhu; Morales & Nocedal 2011) as driven by `scipy.optimize.minimize(method='L-BFGS-B')`
 * with scipy's defaults (m = 10, ftol = 2.220446049250313e-09, gtol = 1e-5, maxls = 20,
 * maxiter = maxfun = 15000).
 *
 * GloWGR's binary level-1 fits stop at these tolerances rather than at an exact optimum, so their
 * results depend on the optimizer's path (see the reference's pitfall 1). Without bounds the
 * algorithm reduces to limited-memory BFGS, but the *way* it computes things matters at 1e-3:
 * - the first iteration (and every restart) starts from the Cauchy point `x − g` (θ = 1) and the
 *   search direction is `d = z − x` (a rounded difference);
 * - later directions come from the compact representation of the BFGS matrix B (the 2col×2col
 *   middle matrix `K` factored as LELᵀ, "formk"/"subsm"), not from the two-loop recursion;
 * - the step is chosen by the Moré–Thuente line search (MINPACK-2 `dcsrch`/`dcstep`) with
 *   ftol = 1e-3, gtol = 0.9, xtol = 0.1, stpmax = 1e10 and a first trial step 1/‖d‖ on the first
 *   iteration, 1 afterwards;
 * - sᵀy is taken as `(gᵀd − g₀ᵀd)·stp`, θ = yᵀy / sᵀy, and pairs with sᵀy ≤ ε·(−g₀ᵀd·stp) are skipped;
 * - termination: ‖g‖∞ ≤ gtol, or (f_old − f) ≤ factr·ε·max(|f_old|, |f|, 1) with factr = ftol/ε;
 * - a failed line search (or a non-positive-definite middle matrix) restores the previous iterate
 *   and restarts from an empty memory, or stops ("ABNORMAL_TERMINATION_IN_LNSRCH") when the memory
 *   is already empty.
 *
 * @see R. H. Byrd, P. Lu, J. Nocedal, C. Zhu (1995), SIAM J. Sci. Comput. 16(5):1190–1208.
 * @see J. J. Moré, D. J. Thuente (1994), ACM TOMS 20(3):286–307.
 */

const EPS = 2.220446049250313e-16;

/** Options of {@link minimizeLbfgsb}; the defaults are scipy's. */
export interface LbfgsbOptions {
  /** Number of correction pairs kept. @defaultValue 10 */
  maxcor?: number;
  /** Relative reduction of f that stops the iteration. @defaultValue 2.220446049250313e-09 */
  ftol?: number;
  /** Infinity norm of the gradient that stops the iteration. @defaultValue 1e-5 */
  gtol?: number;
  /** Maximum number of line-search evaluations per iteration. @defaultValue 20 */
  maxls?: number;
  /** @defaultValue 15000 */
  maxiter?: number;
  /** @defaultValue 15000 */
  maxfun?: number;
  /** Called after each iteration with the new iterate (as scipy's `callback`). */
  callback?: (x: Float64Array) => void;
}

/** Result of {@link minimizeLbfgsb}, named like scipy's `OptimizeResult`. */
export interface LbfgsbResult {
  x: Float64Array;
  fun: number;
  jac: Float64Array;
  nit: number;
  nfev: number;
  /** 0 converged, 1 iteration/evaluation limit, 2 abnormal termination. */
  status: 0 | 1 | 2;
  success: boolean;
  message: string;
}

/**
 * Objective and gradient at `x`: writes the gradient into `g` and returns f(x).
 */
export type FunAndGrad = (x: Float64Array, g: Float64Array) => number;

/**
 * Minimizes `f` from `x0` without bounds, following L-BFGS-B 3.0 step by step.
 * @returns scipy-style result (x, fun, jac, nit, nfev, status, message)
 * @example
 * ```ts
 * const r = minimizeLbfgsb((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, new Float64Array([0]));
 * ```
 */
export function minimizeLbfgsb(fg: FunAndGrad, x0: ArrayLike<number>, options: LbfgsbOptions = {}): LbfgsbResult {
  const m = options.maxcor ?? 10;
  const ftol = options.ftol ?? 2.220446049250313e-9;
  const pgtol = options.gtol ?? 1e-5;
  const maxls = options.maxls ?? 20;
  const maxiter = options.maxiter ?? 15000;
  const maxfun = options.maxfun ?? 15000;
  const factr = ftol / EPS;
  const tol = factr * EPS;

  const n = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = fg(x, g);
  let nfev = 1;
  let nit = 0;

  const done = (status: 0 | 1 | 2, message: string): LbfgsbResult => ({
    x, fun: f, jac: g, nit, nfev, status, success: status === 0, message,
  });

  let sbgnrm = infNorm(g);
  if (sbgnrm <= pgtol) return done(0, "CONVERGENCE: NORM_OF_PROJECTED_GRADIENT_<=_PGTOL");

  // Limited memory: columns of S and Y in a circular buffer (head = oldest), and the
  // positional matrices SS (upper triangle) and SY (lower triangle), oldest first.
  const ws = new Float64Array(m * n);
  const wy = new Float64Array(m * n);
  const ss = new Float64Array(m * m);
  const sy = new Float64Array(m * m);
  let col = 0;
  let head = 0;
  let itail = 0;
  let theta = 1;
  let iupdat = 0;
  let iter = 0;

  const z = new Float64Array(n);
  const d = new Float64Array(n);
  const t = new Float64Array(n);
  const r = new Float64Array(n);
  const m2 = 2 * m;
  const wn = new Float64Array(m2 * m2);
  const wv = new Float64Array(m2);
  const wt = new Float64Array(m * m);

  const restart = (): void => {
    col = 0;
    head = 0;
    theta = 1;
    iupdat = 0;
  };

  for (;;) {
    // ---- search direction -------------------------------------------------------------
    let info = 0;
    if (col === 0) {
      // Generalized Cauchy point with no bounds and B = θI (θ = 1): z = x + 1·(−g).
      for (let i = 0; i < n; i++) z[i] = x[i]! + -g[i]!;
    } else {
      z.set(x);
      info = formK(wn, m2, ws, wy, sy, n, m, col, head, theta);
      if (info === 0) info = subspaceStep(z, g, ws, wy, wn, wv, m2, n, m, col, head, theta);
      if (info !== 0) {
        restart();
        continue;
      }
    }
    for (let i = 0; i < n; i++) d[i] = z[i]! - x[i]!;

    // ---- line search (lnsrlb) ---------------------------------------------------------
    const dtd = dot(d, d, n);
    const dnorm = Math.sqrt(dtd);
    const stpmx = 1e10;
    let stp = iter === 0 ? Math.min(1 / dnorm, stpmx) : 1;
    t.set(x);
    r.set(g);
    const fold = f;
    let ifun = 0;
    let iback = 0;
    let gd = dot(g, d, n);
    const gdold = gd;
    let lsInfo = 0;
    let newX = false;
    if (gd >= 0) {
      lsInfo = -4; // ascent direction: line search impossible
    } else {
      const ls = new MoreThuente(1e-3, 0.9, 0.1, 0, stpmx);
      let task = ls.start(f, gd, stp);
      for (;;) {
        stp = ls.stp;
        if (task === "CONV" || task === "WARN") { newX = true; break; }
        if (task === "ERROR") { lsInfo = -1; break; }
        ifun++;
        nfev++;
        iback = ifun - 1;
        if (stp === 1) x.set(z);
        else for (let i = 0; i < n; i++) x[i] = stp * d[i]! + t[i]!;
        if (iback >= maxls) break;
        f = fg(x, g);
        gd = dot(g, d, n);
        task = ls.next(f, gd);
      }
    }
    if (!newX) {
      // restore the previous iterate
      x.set(t);
      g.set(r);
      f = fold;
      if (col === 0) {
        if (lsInfo === 0) nfev--;
        return done(2, "ABNORMAL_TERMINATION_IN_LNSRCH");
      }
      if (lsInfo === 0) nfev--;
      restart();
      continue;
    }
    iter++;
    nit = iter;
    sbgnrm = infNorm(g);
    options.callback?.(x);
    if (nit >= maxiter) return done(1, "STOP: TOTAL NO. of ITERATIONS REACHED LIMIT");
    if (nfev > maxfun) return done(1, "STOP: TOTAL NO. of f AND g EVALUATIONS EXCEEDS LIMIT");

    // ---- termination tests ------------------------------------------------------------
    if (sbgnrm <= pgtol) return done(0, "CONVERGENCE: NORM_OF_PROJECTED_GRADIENT_<=_PGTOL");
    const fscale = Math.max(Math.abs(fold), Math.abs(f), 1);
    if (fold - f <= tol * fscale) return done(0, "CONVERGENCE: REL_REDUCTION_OF_F_<=_FACTR*EPSMCH");

    // ---- correction pair ----------------------------------------------------------------
    for (let i = 0; i < n; i++) r[i] = g[i]! - r[i]!;
    const rr = dot(r, r, n);
    let dr: number;
    let ddum: number;
    if (stp === 1) {
      dr = gd - gdold;
      ddum = -gdold;
    } else {
      dr = (gd - gdold) * stp;
      for (let i = 0; i < n; i++) d[i] = stp * d[i]!;
      ddum = -gdold * stp;
    }
    if (dr <= EPS * ddum) continue; // skip the update
    iupdat++;
    // matupd
    if (iupdat <= m) {
      col = iupdat;
      itail = (head + iupdat - 1) % m;
    } else {
      itail = (itail + 1) % m;
      head = (head + 1) % m;
    }
    ws.set(d, itail * n);
    wy.set(r, itail * n);
    theta = rr / dr;
    if (iupdat > m) {
      // move old information: SS upper triangle up-left, SY lower triangle up-left
      for (let j = 0; j < col - 1; j++) {
        for (let i = 0; i <= j; i++) ss[i * m + j] = ss[(i + 1) * m + j + 1]!;
        for (let i = j; i < col - 1; i++) sy[i * m + j] = sy[(i + 1) * m + j + 1]!;
      }
    }
    {
      let pointr = head;
      const c = col - 1;
      for (let j = 0; j < c; j++) {
        sy[c * m + j] = dotAt(d, 0, wy, pointr * n, n);
        ss[j * m + c] = dotAt(ws, pointr * n, d, 0, n);
        pointr = (pointr + 1) % m;
      }
      ss[c * m + c] = stp === 1 ? dtd : stp * stp * dtd;
      sy[c * m + c] = dr;
    }
    // formt: T = θ·SS + L·D⁻¹·Lᵀ must be positive definite
    if (formT(wt, ss, sy, m, col, theta) !== 0) {
      restart();
      continue;
    }
  }
}

// ------------------------------------------------------------------------------------------

function infNorm(g: Float64Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) {
    const a = Math.abs(g[i]!);
    if (a > s) s = a;
  }
  return s;
}

function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

function dotAt(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[ao + i]! * b[bo + i]!;
  return s;
}

/**
 * LINPACK dpofa on the leading `n`×`n` block at offset (o, o) of a row-major `ld`×`ld` matrix
 * whose *upper* triangle holds the matrix (element (i,j) with i ≤ j at `(o+i)*ld + o+j`).
 * Overwrites it with R such that A = RᵀR. Returns 0, or the 1-based column where it failed.
 */
function dpofa(a: Float64Array, ld: number, o: number, n: number): number {
  const at = (i: number, j: number): number => (o + i) * ld + (o + j);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < j; k++) {
      let tt = a[at(k, j)]!;
      let dd = 0;
      for (let l = 0; l < k; l++) dd += a[at(l, k)]! * a[at(l, j)]!;
      tt = (tt - dd) / a[at(k, k)]!;
      a[at(k, j)] = tt;
      s += tt * tt;
    }
    s = a[at(j, j)]! - s;
    if (s <= 0) return j + 1;
    a[at(j, j)] = Math.sqrt(s);
  }
  return 0;
}

/** formt: upper triangle of T = θ·SS + L·D⁻¹·Lᵀ, Cholesky-factored; returns dpofa's info. */
function formT(wt: Float64Array, ss: Float64Array, sy: Float64Array, m: number, col: number, theta: number): number {
  for (let j = 0; j < col; j++) wt[j] = theta * ss[j]!;
  for (let i = 1; i < col; i++) {
    for (let j = i; j < col; j++) {
      let ddum = 0;
      for (let k = 0; k < i; k++) ddum += (sy[i * m + k]! * sy[j * m + k]!) / sy[k * m + k]!;
      wt[i * m + j] = ddum + theta * ss[i * m + j]!;
    }
  }
  return dpofa(wt, m, 0, col);
}

/**
 * formk for the unconstrained case (all variables free, none active): the upper triangle of
 * K = [ D + YᵀY/θ   R_zᵀ ;  R_z   0 ], then its LELᵀ factorization in place:
 * the (1,1) block is Cholesky-factored, the (1,2) block replaced by L⁻¹R_zᵀ, and the (2,2) block
 * by the Cholesky factor of (L⁻¹R_zᵀ)ᵀ(L⁻¹R_zᵀ). Returns 0 or a non-zero info.
 */
function formK(
  wn: Float64Array, ld: number, ws: Float64Array, wy: Float64Array, sy: Float64Array,
  n: number, m: number, col: number, head: number, theta: number,
): number {
  wn.fill(0);
  const ptr = (pos: number): number => ((head + pos) % m) * n;
  for (let iy = 0; iy < col; iy++) {
    const is = col + iy;
    for (let jy = 0; jy <= iy; jy++) {
      // Y'Y element (iy, jy), divided by θ
      wn[jy * ld + iy] = dotAt(wy, ptr(iy), wy, ptr(jy), n) / theta;
      wn[(col + jy) * ld + is] = 0; // S'AA'S·θ with no active variables
    }
    for (let jy = 0; jy < iy; jy++) wn[jy * ld + is] = -0; // −L_a (no active variables)
    for (let jy = iy; jy < col; jy++) wn[jy * ld + is] = dotAt(ws, ptr(iy), wy, ptr(jy), n); // R_z(iy, jy)
    wn[iy * ld + iy] = wn[iy * ld + iy]! + sy[iy * m + iy]!;
  }
  if (dpofa(wn, ld, 0, col) !== 0) return -1;
  // L⁻¹(−L_aᵀ + R_zᵀ) in the (1,2) block: solve Uᵀx = b (U = upper (1,1) factor) per column
  const col2 = 2 * col;
  for (let js = col; js < col2; js++) {
    for (let j = 0; j < col; j++) {
      let s = 0;
      for (let k = 0; k < j; k++) s += wn[k * ld + j]! * wn[k * ld + js]!;
      const diag = wn[j * ld + j]!;
      if (diag === 0) return -1;
      wn[j * ld + js] = (wn[j * ld + js]! - s) / diag;
    }
  }
  for (let is = col; is < col2; is++) {
    for (let js = is; js < col2; js++) {
      let s = 0;
      for (let k = 0; k < col; k++) s += wn[k * ld + is]! * wn[k * ld + js]!;
      wn[is * ld + js] = wn[is * ld + js]! + s;
    }
  }
  if (dpofa(wn, ld, col, col) !== 0) return -2;
  return 0;
}

/**
 * subsm for the unconstrained case: with r = −g, computes the subspace Newton step
 * d = (1/θ)·r + (1/θ²)·WᵀK⁻¹W r and sets z ← z + d (z holds the current x on entry).
 */
function subspaceStep(
  z: Float64Array, g: Float64Array, ws: Float64Array, wy: Float64Array, wn: Float64Array, wv: Float64Array,
  ld: number, n: number, m: number, col: number, head: number, theta: number,
): number {
  const dd = new Float64Array(n);
  for (let i = 0; i < n; i++) dd[i] = -g[i]!;
  let pointr = head;
  for (let i = 0; i < col; i++) {
    let t1 = 0;
    let t2 = 0;
    const o = pointr * n;
    for (let j = 0; j < n; j++) {
      t1 += wy[o + j]! * dd[j]!;
      t2 += ws[o + j]! * dd[j]!;
    }
    wv[i] = t1;
    wv[col + i] = theta * t2;
    pointr = (pointr + 1) % m;
  }
  const col2 = 2 * col;
  // solve Uᵀ w = wv (LINPACK dtrsl job 11)
  for (let j = 0; j < col2; j++) if (wn[j * ld + j] === 0) return j + 1;
  wv[0] = wv[0]! / wn[0]!;
  for (let j = 1; j < col2; j++) {
    let s = 0;
    for (let k = 0; k < j; k++) s += wn[k * ld + j]! * wv[k]!;
    wv[j] = (wv[j]! - s) / wn[j * ld + j]!;
  }
  for (let i = 0; i < col; i++) wv[i] = -wv[i]!;
  // solve U w = wv (LINPACK dtrsl job 01, column-oriented back substitution)
  wv[col2 - 1] = wv[col2 - 1]! / wn[(col2 - 1) * ld + col2 - 1]!;
  for (let j = col2 - 2; j >= 0; j--) {
    const temp = -wv[j + 1]!;
    for (let k = 0; k <= j; k++) wv[k] = wv[k]! + temp * wn[k * ld + j + 1]!;
    wv[j] = wv[j]! / wn[j * ld + j]!;
  }
  pointr = head;
  for (let jy = 0; jy < col; jy++) {
    const js = col + jy;
    const o = pointr * n;
    const a = wv[jy]!;
    const b = wv[js]!;
    for (let i = 0; i < n; i++) dd[i] = dd[i]! + (wy[o + i]! * a) / theta + ws[o + i]! * b;
    pointr = (pointr + 1) % m;
  }
  const inv = 1 / theta;
  for (let i = 0; i < n; i++) z[i] = z[i]! + inv * dd[i]!;
  return 0;
}

type LsTask = "FG" | "CONV" | "WARN" | "ERROR";

/**
 * The Moré–Thuente line search (MINPACK-2 dcsrch + dcstep) in reverse-communication form:
 * `start(f0, g0, stp)` then `next(f, g)` after each requested evaluation at `this.stp`.
 */
export class MoreThuente {
  stp = 0;
  private brackt = false;
  private stage = 1;
  private ginit = 0;
  private gtest = 0;
  private gx = 0;
  private gy = 0;
  private finit = 0;
  private fx = 0;
  private fy = 0;
  private stx = 0;
  private sty = 0;
  private stmin = 0;
  private stmax = 0;
  private width = 0;
  private width1 = 0;

  constructor(
    private readonly ftol: number,
    private readonly gtol: number,
    private readonly xtol: number,
    private readonly stpmin: number,
    private readonly stpmax: number,
  ) {}

  start(f: number, g: number, stp: number): LsTask {
    this.stp = stp;
    if (stp < this.stpmin || stp > this.stpmax || g >= 0) return "ERROR";
    this.brackt = false;
    this.stage = 1;
    this.finit = f;
    this.ginit = g;
    this.gtest = this.ftol * this.ginit;
    this.width = this.stpmax - this.stpmin;
    this.width1 = this.width / 0.5;
    this.stx = 0;
    this.fx = this.finit;
    this.gx = this.ginit;
    this.sty = 0;
    this.fy = this.finit;
    this.gy = this.ginit;
    this.stmin = 0;
    this.stmax = stp + 4 * stp;
    return "FG";
  }

  next(f: number, g: number): LsTask {
    let stp = this.stp;
    const ftest = this.finit + stp * this.gtest;
    if (this.stage === 1 && f <= ftest && g >= 0) this.stage = 2;
    let task: LsTask = "FG";
    if (this.brackt && (stp <= this.stmin || stp >= this.stmax)) task = "WARN";
    if (this.brackt && this.stmax - this.stmin <= this.xtol * this.stmax) task = "WARN";
    if (stp === this.stpmax && f <= ftest && g <= this.gtest) task = "WARN";
    if (stp === this.stpmin && (f > ftest || g >= this.gtest)) task = "WARN";
    if (f <= ftest && Math.abs(g) <= this.gtol * -this.ginit) task = "CONV";
    if (task === "WARN" || task === "CONV") return task;

    if (this.stage === 1 && f <= this.fx && f > ftest) {
      const fm = f - stp * this.gtest;
      const fxm = this.fx - this.stx * this.gtest;
      const fym = this.fy - this.sty * this.gtest;
      const gm = g - this.gtest;
      const gxm = this.gx - this.gtest;
      const gym = this.gy - this.gtest;
      const s = dcstep(this.stx, fxm, gxm, this.sty, fym, gym, stp, fm, gm, this.brackt, this.stmin, this.stmax);
      this.stx = s.stx;
      this.sty = s.sty;
      this.brackt = s.brackt;
      stp = s.stp;
      this.fx = s.fx + this.stx * this.gtest;
      this.fy = s.fy + this.sty * this.gtest;
      this.gx = s.dx + this.gtest;
      this.gy = s.dy + this.gtest;
    } else {
      const s = dcstep(this.stx, this.fx, this.gx, this.sty, this.fy, this.gy, stp, f, g, this.brackt, this.stmin, this.stmax);
      this.stx = s.stx;
      this.fx = s.fx;
      this.gx = s.dx;
      this.sty = s.sty;
      this.fy = s.fy;
      this.gy = s.dy;
      this.brackt = s.brackt;
      stp = s.stp;
    }
    if (this.brackt) {
      if (Math.abs(this.sty - this.stx) >= 0.66 * this.width1) stp = this.stx + 0.5 * (this.sty - this.stx);
      this.width1 = this.width;
      this.width = Math.abs(this.sty - this.stx);
    }
    if (this.brackt) {
      this.stmin = Math.min(this.stx, this.sty);
      this.stmax = Math.max(this.stx, this.sty);
    } else {
      this.stmin = stp + 1.1 * (stp - this.stx);
      this.stmax = stp + 4 * (stp - this.stx);
    }
    stp = Math.max(stp, this.stpmin);
    stp = Math.min(stp, this.stpmax);
    if ((this.brackt && (stp <= this.stmin || stp >= this.stmax)) || (this.brackt && this.stmax - this.stmin <= this.xtol * this.stmax)) {
      stp = this.stx;
    }
    this.stp = stp;
    return "FG";
  }
}

interface StepState {
  stx: number; fx: number; dx: number;
  sty: number; fy: number; dy: number;
  stp: number; brackt: boolean;
}

/** MINPACK-2 dcstep: safeguarded cubic/quadratic step and interval update. */
function dcstep(
  stx: number, fx: number, dx: number, sty: number, fy: number, dy: number,
  stp: number, fp: number, dp: number, brackt: boolean, stpmin: number, stpmax: number,
): StepState {
  const sgnd = dp * (dx / Math.abs(dx));
  let stpf: number;
  if (fp > fx) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) ** 2 - (dx / s) * (dp / s));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const r = p / q;
    const stpc = stx + r * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    if (Math.abs(stpc - stx) < Math.abs(stpq - stx)) stpf = stpc;
    else stpf = stpc + (stpq - stpc) / 2;
    brackt = true;
  } else if (sgnd < 0) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) ** 2 - (dx / s) * (dp / s));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const r = p / q;
    const stpc = stp + r * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (Math.abs(stpc - stp) > Math.abs(stpq - stp)) stpf = stpc;
    else stpf = stpq;
    brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt(Math.max(0, (theta / s) ** 2 - (dx / s) * (dp / s)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma + (dx - dp) + gamma;
    const r = p / q;
    let stpc: number;
    if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
    else if (stp > stx) stpc = stpmax;
    else stpc = stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (brackt) {
      if (Math.abs(stpc - stp) < Math.abs(stpq - stp)) stpf = stpc;
      else stpf = stpq;
      if (stp > stx) stpf = Math.min(stp + 0.66 * (sty - stp), stpf);
      else stpf = Math.max(stp + 0.66 * (sty - stp), stpf);
    } else {
      if (Math.abs(stpc - stp) > Math.abs(stpq - stp)) stpf = stpc;
      else stpf = stpq;
      stpf = Math.min(stpmax, stpf);
      stpf = Math.max(stpmin, stpf);
    }
  } else {
    if (brackt) {
      const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
      let gamma = s * Math.sqrt((theta / s) ** 2 - (dy / s) * (dp / s));
      if (stp > sty) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma - dp + gamma + dy;
      const r = p / q;
      stpf = stp + r * (sty - stp);
    } else if (stp > stx) {
      stpf = stpmax;
    } else {
      stpf = stpmin;
    }
  }
  if (fp > fx) {
    sty = stp;
    fy = fp;
    dy = dp;
  } else {
    if (sgnd < 0) {
      sty = stx;
      fy = fx;
      dy = dx;
    }
    stx = stp;
    fx = fp;
    dx = dp;
  }
  return { stx, fx, dx, sty, fy, dy, stp: stpf, brackt };
}
