/* eslint-disable no-console -- a benchmark prints its figures */
import { benchmarksFile, writeSection } from "./report";
import { benchServiceHop, hopSection } from "./hop";

const hop = await benchServiceHop();
console.table(hop.map((r) => ({ variant: r.name, "p50 ms": r.p50.toFixed(3), "p99 ms": r.p99.toFixed(3), "calls/s": Math.round(r.perSecond) })));
writeSection("service-hop", hopSection(hop));
console.log(`written to ${benchmarksFile}`);
