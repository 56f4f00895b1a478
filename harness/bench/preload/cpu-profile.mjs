/**
 * `node --import <this>`: a V8 CPU profile of the whole process, written to `CPU_PROFILE_DIR` when it
 * exits. For the benchmarks that profile a whole stack: Node refuses `--cpu-prof` in NODE_OPTIONS,
 * the only way into every process the supervisor spawns, but allows `--import`. Written by hand
 * because it is the inspector's own Profiler domain, a few calls: no library wraps exactly this.
 * The inspector answers a session of the main thread synchronously, so the profile is taken and
 * written inside the `exit` event.
 */
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  process.on("exit", () => {
    session.post("Profiler.stop", (error, result) => {
      if (error) return;
      fs.mkdirSync(dir, { recursive: true });
      const name = `${path.basename(process.argv[1] ?? "node")}-${process.pid}.cpuprofile`;
      fs.writeFileSync(path.join(dir, name), JSON.stringify(result.profile));
    });
  });
}
