// The environment this package reads, in one place.
export interface PostgresEnv {
  /** MICROSHOP_POSTGRES_BIN: the folder of initdb and pg_ctl, when not Debian's or on PATH. */
  readonly bin: string | undefined;
  /** PATH, searched last for initdb. */
  readonly path: string;
}

export function postgresEnv(): PostgresEnv {
  return { bin: process.env.MICROSHOP_POSTGRES_BIN || undefined, path: process.env.PATH ?? "" };
}
