import type { PrismaConfig } from "prisma";

export declare function servicePrismaConfig(service: string): PrismaConfig;

export declare function isPostgresUrl(url: string): boolean;
