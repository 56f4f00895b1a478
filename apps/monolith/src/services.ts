import { cartService } from "@microshop/cart-service/service";
import { emailService } from "@microshop/email-service/service";
import { inventoryService } from "@microshop/inventory-service/service";
import { orderService } from "@microshop/order-service/service";
import { paymentService } from "@microshop/payment-service/service";
import { productService } from "@microshop/product-service/service";
import { userService } from "@microshop/user-service/service";
import type { ServiceDefinition } from "@microshop/service-runtime/service";
import type { ServiceName } from "@microshop/topology";

/**
 * Every service of the topology, as the very definitions each service's own `main.ts` runs.
 * Keyed by the topology's names, so a service added there does not compile until it is added here.
 */
export const serviceDefinitions: Readonly<Record<ServiceName, ServiceDefinition>> = {
  product: productService,
  inventory: inventoryService,
  cart: cartService,
  order: orderService,
  payment: paymentService,
  email: emailService,
  user: userService,
};
