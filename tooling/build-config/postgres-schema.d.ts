export declare const postgresSchemaPath: string;
export declare const postgresMigrationsPath: string;
export declare function postgresVariant(sqliteSchema: string): string;
export declare function writePostgresVariant(serviceDir: string, migrationName: string): string | undefined;
