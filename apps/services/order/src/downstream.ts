import type { EmailRouter } from "@microshop/email-service/router";
import type { InventoryRouter } from "@microshop/inventory-service/router";
import type { PaymentRouter } from "@microshop/payment-service/router";
import type { ProductRouter } from "@microshop/product-service/router";
import type { TRPCClient } from "@microshop/service-client";
import type { ServiceContext } from "@microshop/service-runtime/service";
import type { UserRouter } from "@microshop/user-service/router";
import type { OrderConfig } from "./config";

export interface Downstream {
  readonly product: TRPCClient<ProductRouter>;
  readonly inventory: TRPCClient<InventoryRouter>;
  readonly payment: TRPCClient<PaymentRouter>;
  readonly email: TRPCClient<EmailRouter>;
  readonly users: TRPCClient<UserRouter>;
}

export function createDownstream(client: ServiceContext["client"], config: OrderConfig): Downstream {
  const timeoutMs = config.DOWNSTREAM_TIMEOUT_MS;
  return {
    product: client<ProductRouter>("product", { timeoutMs }),
    inventory: client<InventoryRouter>("inventory", { timeoutMs }),
    payment: client<PaymentRouter>("payment", { timeoutMs: config.PAYMENT_TIMEOUT_MS }),
    email: client<EmailRouter>("email", { timeoutMs }),
    users: client<UserRouter>("user", { timeoutMs }),
  };
}
