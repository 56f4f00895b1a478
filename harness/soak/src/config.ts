import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";

export const usage = `Usage: pnpm soak [options]        (from the repository root, after a build)

Starts the built stack on a fresh data directory, drives simulated shoppers through the storefront
while SIGKILLing random services and scaling and deploying others through the control plane, lets
recovery settle, then checks every database's invariants.

Options:
  --duration <s>          how long the shoppers shop (default 180; --short: 50)
  --rate <n>              journeys started per second (default 6)
  --kill-every <s>        seconds between kills (default 15; --short: 12)
  --lab-every <s>         seconds between scales and rolling deploys (default 8; --short: 5)
  --short                 the CI version: 50 s, fewer kills
  --data-dir <dir>        where the stack keeps its databases and logs (default .data/soak-<time>)
  --keep                  keep the data directory after a clean run (it is always kept on failure)
  --seed <n>              the seed of the kills, the lab's actions and the shoppers' choices (default:
                          a new one, printed with the report), to run a soak again as it went
  -h, --help              show this text

Environment:
  MICROSHOP_PORT_OFFSET   added to every default port (default 500; never 0, which is a developer's stack)
`;

const schema = z.object({
  help: z.boolean().default(false),
  short: z.boolean().default(false),
  duration: z.coerce.number().int("--duration is whole seconds").min(5).max(3_600).optional(),
  rate: z.coerce.number().min(0.5).max(50).default(6),
  killEvery: z.coerce.number().min(3).max(600).optional(),
  labEvery: z.coerce.number().min(1).max(600).optional(),
  dataDir: z.string().min(1).optional(),
  keep: z.boolean().default(false),
  seed: z.coerce
    .number()
    .int("--seed is a whole number")
    .min(1)
    .max(2 ** 31 - 2)
    .optional(),
  MICROSHOP_PORT_OFFSET: z.coerce
    .number()
    .int()
    .min(1, "MICROSHOP_PORT_OFFSET must not be 0: that is a developer's own stack")
    .max(60_000)
    .default(500),
});

export interface SoakConfig {
  readonly help: boolean;
  readonly durationMs: number;
  readonly journeysPerSecond: number;
  readonly killEveryMs: number;
  /** Pause before each scale or deploy of the lab lane (which runs beside the kills). */
  readonly labEveryMs: number;
  readonly portOffset: number;
  readonly dataDir: string;
  readonly keepData: boolean;
  /** The run's seed when given (`--seed`): the same kills, lab actions and shoppers' choices as the run that printed it. */
  readonly seed: number | undefined;
  readonly repoRoot: string;
  /** Client-side deadline of every shopper request; past it the request counts as hung. */
  readonly requestTimeoutMs: number;
  /** After the load stops, how long recovery may take to settle before the checks run anyway. */
  readonly settleTimeoutMs: number;
  /** At most this many journeys run at once: a slow stack is not buried under an unbounded queue. */
  readonly maxConcurrentJourneys: number;
}

export class SoakConfigError extends Error {}

export function findRepoRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No pnpm-workspace.yaml above ${from}`);
  }
}

/** Reads argv and the environment once; throws SoakConfigError naming every problem. */
export function parseSoakConfig(argv: readonly string[], env: NodeJS.ProcessEnv, repoRoot: string = findRepoRoot()): SoakConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: "boolean", short: "h" },
        short: { type: "boolean" },
        duration: { type: "string" },
        rate: { type: "string" },
        "kill-every": { type: "string" },
        "lab-every": { type: "string" },
        "data-dir": { type: "string" },
        keep: { type: "boolean" },
        seed: { type: "string" },
      },
    }));
  } catch (error) {
    throw new SoakConfigError(error instanceof Error ? error.message : String(error));
  }
  const parsed = schema.safeParse({
    help: values.help,
    short: values.short,
    duration: values.duration,
    rate: values.rate,
    killEvery: values["kill-every"],
    labEvery: values["lab-every"],
    dataDir: values["data-dir"],
    keep: values.keep,
    seed: values.seed,
    MICROSHOP_PORT_OFFSET: env.MICROSHOP_PORT_OFFSET,
  });
  if (!parsed.success) {
    throw new SoakConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("\n"),
    );
  }
  const config = parsed.data;
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return {
    help: config.help,
    durationMs: (config.duration ?? (config.short ? 50 : 180)) * 1_000,
    journeysPerSecond: config.rate,
    killEveryMs: (config.killEvery ?? (config.short ? 12 : 15)) * 1_000,
    labEveryMs: (config.labEvery ?? (config.short ? 5 : 8)) * 1_000,
    portOffset: config.MICROSHOP_PORT_OFFSET,
    dataDir: path.resolve(config.dataDir ?? path.join(repoRoot, ".data", `soak-${stamp}`)),
    keepData: config.keep,
    seed: config.seed,
    repoRoot,
    requestTimeoutMs: 30_000,
    settleTimeoutMs: 90_000,
    maxConcurrentJourneys: 40,
  };
}
