import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/root";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export type ProductSummary = RouterOutputs["catalog"]["search"]["items"][number];
export type Category = RouterOutputs["catalog"]["categories"][number];
export type ProductDetail = RouterOutputs["catalog"]["bySlug"];
