// Partition function used by the read benchmark: per variant, the number of samples whose
// genotype state is not missing (runs inside the workers, so only one int per variant comes back).
export function countCalled(batch) {
  const gs = batch.columns.gs;
  const width = gs.width;
  const v = gs.child.values;
  const out = new Int32Array(batch.numRows);
  for (let r = 0; r < batch.numRows; r++) {
    let c = 0;
    for (let i = r * width, e = i + width; i < e; i++) if (v[i] >= 0) c++;
    out[r] = c;
  }
  return { numRows: batch.numRows, columns: { called: { type: "int", values: out } } };
}
