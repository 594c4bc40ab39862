// A DOM for tests (linkedom), typed minimally so that tests compile without the DOM lib.
import { createRequire } from "node:module";

export interface TestElement {
  textContent: string | null;
  firstChild: TestElement | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): TestElement | null;
  querySelectorAll(selector: string): ArrayLike<TestElement> & Iterable<TestElement>;
}

const require = createRequire(import.meta.url);
const { parseHTML } = require("linkedom") as { parseHTML(html: string): { document: TestElement } };

/** Parses an HTML fragment into a document. */
export function dom(html: string): TestElement {
  return parseHTML(`<!doctype html><html><body>${html}</body></html>`).document;
}
