// `pnpm gen service` (or `turbo gen service`): writes apps/services/<name>/ in the shape every
// service has (packages/service-runtime/README.md), modelled on the product and cart services.
import { existsSync } from "node:fs";
import path from "node:path";
import { ports, services } from "@microshop/topology";
import type { PlopTypes } from "@turbo/gen";

const takenPorts = new Set<number>([...Object.values(services).map((service) => service.port), ...Object.values(ports)]);
const nextPort = Math.max(...Object.values(services).map((service) => service.port)) + 1;

export default function generator(plop: PlopTypes.NodePlopAPI): void {
  // The first migration is named like the ones `prisma migrate dev` writes: a UTC time stamp.
  plop.setHelper("migrationStamp", () => new Date().toISOString().replace(/\D/g, "").slice(0, 14));

  plop.setGenerator("service", {
    description: "A new service in apps/services: router, Prisma schema and migration, tests, README",
    prompts: [
      {
        type: "input",
        name: "name",
        message: "Service name (lowercase letters and digits, e.g. review):",
        validate: (name: string) => {
          if (!/^[a-z][a-z0-9]{1,30}$/.test(name)) return "Use 2 to 31 lowercase letters and digits, starting with a letter";
          if (existsSync(path.join(plop.getDestBasePath(), "apps", "services", name)))
            return `apps/services/${name} exists already`;
          return true;
        },
      },
      {
        type: "input",
        name: "port",
        message: "Default port:",
        default: String(nextPort),
        validate: (port: string) => {
          const value = Number(port);
          if (!Number.isInteger(value) || value < 1024 || value > 65_535) return "Give a whole number from 1024 to 65535";
          return takenPorts.has(value) ? `Port ${value} belongs to another process of the stack` : true;
        },
      },
    ],
    actions: [
      {
        type: "addMany",
        destination: "apps/services/{{ name }}",
        base: "templates/service",
        templateFiles: "templates/service/**/*",
      },
      (answers) => {
        const { name } = answers as { name: string };
        return [
          `Wrote apps/services/${name}. Next, as its README says:`,
          `  1. pnpm install`,
          `  2. add "${name}" to serviceNames and services in packages/topology/src/index.ts, then use services.${name}.port in its service.ts`,
          `  3. add ${name}Service to apps/monolith/src/services.ts (it does not compile until you do)`,
          `  4. pnpm turbo run typecheck lint test --filter=@microshop/${name}-service`,
        ].join("\n");
      },
    ],
  });
}
