/* eslint-disable no-console -- a benchmark prints its figures */
import { benchServiceHop, hopSection } from "./hop";
import { benchmarksFile, writeSection } from "./report";
import { benchStartup, writeStartupSection } from "./startup";

const hop = await benchServiceHop();
console.table(hop.map((r) => ({ variant: r.name, "p50 ms": r.p50.toFixed(3), "p99 ms": r.p99.toFixed(3), "calls/s": Math.round(r.perSecond) })));
writeSection("service-hop", hopSection(hop));

const startup = await benchStartup();
console.table(startup.map((r) => ({ mode: r.mode, "cold s": r.cold.readySeconds, "warm s": r.warm.readySeconds, processes: r.warm.processes, "RSS MB": r.warm.rssMb })));
writeStartupSection(startup);
console.log(`written to ${benchmarksFile}`);
