/**
 * Oxford `.sample` files (QCTool/SNPTEST): line 1 names the columns (`ID_1 ID_2 missing ...`),
 * line 2 gives their types, then one line per sample. Glow: `BgenFileFormat.getSampleIds`.
 */
import { readFileSync } from "node:fs";
import { GlowtsError } from "../../core/errors.js";

/**
 * Sample ids from the text of an Oxford `.sample` file.
 * @param text the file content.
 * @param column the column holding the ids (Glow's `sampleIdColumn`, default `ID_2`).
 * @param file the file name, for error messages.
 * @returns one id per sample line, in file order.
 * @throws GlowtsError `BGEN_SAMPLE_FILE` when the column is absent or a line is too short.
 */
export function parseOxfordSampleFile(text: string, column: string, file: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new GlowtsError("BGEN_SAMPLE_FILE", "empty .sample file", { file });
  const header = splitFields(lines[0]!);
  const idx = header.indexOf(column);
  if (idx < 0) {
    throw new GlowtsError("BGEN_SAMPLE_FILE", `no column named '${column}' (columns: ${header.join(", ")})`, { file, record: "line 1" });
  }
  const ids: string[] = [];
  for (let i = 2; i < lines.length; i++) {
    const f = splitFields(lines[i]!);
    if (f.length <= idx) {
      throw new GlowtsError("BGEN_SAMPLE_FILE", `malformed line: fewer than ${idx + 1} columns in '${lines[i]}'`, { file, record: `line ${i + 1}` });
    }
    ids.push(f[idx]!);
  }
  return ids;
}

function splitFields(line: string): string[] {
  const t = line.trim();
  return t === "" ? [] : t.split(/[ \t]+/);
}

/** Reads and parses an Oxford `.sample` file (see {@link parseOxfordSampleFile}). */
export function readOxfordSampleFile(file: string, column: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new GlowtsError("FILE_NOT_FOUND", "cannot read .sample file", { file });
  }
  return parseOxfordSampleFile(text, column, file);
}
