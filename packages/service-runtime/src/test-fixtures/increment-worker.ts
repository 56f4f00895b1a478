// A second process on the same SQLite file, as a replica is: `increment-worker <url> <mode> <times>`
// runs that many read-then-write transactions and prints how many failed, as JSON.
import { connect, incrementInTransaction } from "./sqlite-connections";

const [url, mode, times] = process.argv.slice(2);
if (!url || (mode !== "deferred" && mode !== "immediate") || !times)
  throw new Error("usage: increment-worker <url> <mode> <times>");

const connection = await connect(url, mode);
let failures = 0;
const errors = new Set<string>();
for (let i = 0; i < Number(times); i++) {
  try {
    await incrementInTransaction(connection);
  } catch (error) {
    failures += 1;
    errors.add(error instanceof Error ? error.message : String(error));
  }
}
await connection.dispose();
process.stdout.write(JSON.stringify({ failures, errors: [...errors] }));
