import { createTRPCRouter } from "../trpc";
import { reservationsRouter } from "./reservations";
import { stockRouter } from "./stock";

export const appRouter = createTRPCRouter({
  stock: stockRouter,
  reservations: reservationsRouter,
});

/** The inventory service's API, as a type: what `createServiceClient<InventoryRouter>("inventory")` needs. */
export type InventoryRouter = typeof appRouter;
export type { StockLevel } from "../stock";
export type { ReservationView, ReservationStatus } from "../reservations";
