/** GloWGR (`glow.wgr`). */
export { getSampleIds } from "./sample-ids.js";
