import type { EmailRouter } from "@microshop/email-service/router";
import type { InventoryRouter } from "@microshop/inventory-service/router";
import type { PaymentRouter } from "@microshop/payment-service/router";
import type { ProductRouter } from "@microshop/product-service/router";
import { createServiceClient, type TRPCClient } from "@microshop/service-client";
import type { UserRouter } from "@microshop/user-service/router";
import type { OrderConfig } from "./config";

export interface Downstream {
  readonly product: TRPCClient<ProductRouter>;
  readonly inventory: TRPCClient<InventoryRouter>;
  readonly payment: TRPCClient<PaymentRouter>;
  readonly email: TRPCClient<EmailRouter>;
  readonly users: TRPCClient<UserRouter>;
}

export function createDownstream(env: NodeJS.ProcessEnv, config: OrderConfig): Downstream {
  const timeoutMs = config.DOWNSTREAM_TIMEOUT_MS;
  return {
    product: createServiceClient<ProductRouter>("product", { env, timeoutMs }),
    inventory: createServiceClient<InventoryRouter>("inventory", { env, timeoutMs }),
    payment: createServiceClient<PaymentRouter>("payment", { env, timeoutMs: config.PAYMENT_TIMEOUT_MS }),
    email: createServiceClient<EmailRouter>("email", { env, timeoutMs }),
    users: createServiceClient<UserRouter>("user", { env, timeoutMs }),
  };
}
