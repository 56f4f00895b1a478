import type { ProductSummary } from "@microshop/product-service/router";
import { writeTransaction } from "@microshop/service-runtime/sqlite";
import { TRPCError } from "@trpc/server";
import type { Context } from "./trpc";
import { ownerKey, ownerWhere, type Owner, type OwnerKey } from "./owner";

export interface CartLine {
  readonly productId: string;
  readonly quantity: number;
  /** Today's price; the price when added when the catalog could not be reached. */
  readonly unitPriceMinor: number;
  readonly addedPriceMinor: number;
  readonly priceChanged: boolean;
  readonly currency: string;
  readonly lineTotalMinor: number;
  /** From the catalog; null while the product service is unreachable. */
  readonly product: Pick<ProductSummary, "slug" | "name" | "image"> | null;
}

export interface CartView {
  readonly lines: CartLine[];
  readonly itemCount: number;
  readonly subtotalMinor: number;
  readonly currency: string;
  /** True when the catalog did not answer: names are missing and prices are as added. */
  readonly degraded: boolean;
}

export const maxQuantity = 100;

async function catalogFor(ctx: Context, productIds: string[]): Promise<Map<string, ProductSummary> | null> {
  if (productIds.length === 0) return new Map();
  try {
    const products = await ctx.product.catalog.byIds.query({ ids: productIds });
    return new Map(products.map((product) => [product.id, product]));
  } catch (error) {
    ctx.logger.warn({ err: error }, "catalog unavailable: showing the cart with the prices as added");
    return null;
  }
}

export async function viewCart(ctx: Context, owner: Owner): Promise<CartView> {
  return viewCartOf(ctx, await ownerKey(ctx, owner));
}

async function viewCartOf(ctx: Context, key: OwnerKey): Promise<CartView> {
  const cart = await ctx.db.cart.findUnique({ where: ownerWhere(key), include: { items: { orderBy: { addedAt: "asc" } } } });
  const items = cart?.items ?? [];
  const catalog = await catalogFor(
    ctx,
    items.map((item) => item.productId),
  );
  const lines = items.map((item): CartLine => {
    const product = catalog?.get(item.productId);
    const unitPriceMinor = product?.priceMinor ?? item.unitPriceMinor;
    return {
      productId: item.productId,
      quantity: item.quantity,
      unitPriceMinor,
      addedPriceMinor: item.unitPriceMinor,
      priceChanged: product !== undefined && product.priceMinor !== item.unitPriceMinor,
      currency: product?.currency ?? item.currency,
      lineTotalMinor: unitPriceMinor * item.quantity,
      product: product ? { slug: product.slug, name: product.name, image: product.image } : null,
    };
  });
  return {
    lines,
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
    subtotalMinor: lines.reduce((sum, line) => sum + line.lineTotalMinor, 0),
    currency: lines[0]?.currency ?? "USD",
    degraded: catalog === null,
  };
}

/** The product as the catalog knows it now; a cart never holds something that does not exist. */
async function requireProduct(ctx: Context, productId: string): Promise<ProductSummary> {
  let products: ProductSummary[];
  try {
    products = await ctx.product.catalog.byIds.query({ ids: [productId] });
  } catch {
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "We can't reach the catalog right now. Please try again in a moment.",
    });
  }
  const product = products[0];
  if (!product) throw new TRPCError({ code: "NOT_FOUND", message: "That product is no longer sold" });
  return product;
}

/** Quantity is checked against stock now; the order still reserves at checkout. */
async function requireStock(ctx: Context, product: ProductSummary, quantity: number): Promise<void> {
  let available: number;
  try {
    const levels = await ctx.inventory.stock.levels.query({ productIds: [product.id] });
    available = levels[0]?.available ?? 0;
  } catch {
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "We can't check stock right now. Please try again in a moment.",
    });
  }
  if (quantity > available) {
    throw new TRPCError({
      code: "CONFLICT",
      message: available === 0 ? `${product.name} is out of stock` : `Only ${available} of ${product.name} left`,
    });
  }
}

/** Sets a line's quantity (0 removes it). The price is remembered from the first add. */
export async function setQuantity(ctx: Context, owner: Owner, productId: string, quantity: number): Promise<CartView> {
  return setQuantityOf(ctx, await ownerKey(ctx, owner), productId, quantity);
}

async function setQuantityOf(ctx: Context, key: OwnerKey, productId: string, quantity: number): Promise<CartView> {
  if (quantity === 0) return removeItemOf(ctx, key, productId);
  const product = await requireProduct(ctx, productId);
  await requireStock(ctx, product, quantity);
  const cart = await ctx.db.cart.upsert({ where: ownerWhere(key), create: { ...key }, update: {} });
  await ctx.db.cartItem.upsert({
    where: { cartId_productId: { cartId: cart.id, productId } },
    create: { cartId: cart.id, productId, quantity, unitPriceMinor: product.priceMinor, currency: product.currency },
    update: { quantity },
  });
  return viewCartOf(ctx, key);
}

export async function addItem(ctx: Context, owner: Owner, productId: string, quantity: number): Promise<CartView> {
  const key = await ownerKey(ctx, owner);
  const current = await ctx.db.cartItem.findFirst({ where: { productId, cart: ownerWhere(key) } });
  const total = (current?.quantity ?? 0) + quantity;
  if (total > maxQuantity) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `A cart holds at most ${maxQuantity} of one product` });
  }
  return setQuantityOf(ctx, key, productId, total);
}

export async function removeItem(ctx: Context, owner: Owner, productId: string): Promise<CartView> {
  return removeItemOf(ctx, await ownerKey(ctx, owner), productId);
}

async function removeItemOf(ctx: Context, key: OwnerKey, productId: string): Promise<CartView> {
  await ctx.db.cartItem.deleteMany({ where: { productId, cart: ownerWhere(key) } });
  return viewCartOf(ctx, key);
}

export async function clearCart(ctx: Context, owner: Owner): Promise<CartView> {
  const key = await ownerKey(ctx, owner);
  await ctx.db.cartItem.deleteMany({ where: { cart: ownerWhere(key) } });
  return viewCartOf(ctx, key);
}

/**
 * On sign-in the visitor's cart joins the user's: quantities add up (capped), the earlier price
 * is kept, and the visitor's cart is gone. Safe to repeat.
 */
export async function mergeCarts(ctx: Context, visitorId: string, sessionToken: string): Promise<CartView> {
  const key = await ownerKey(ctx, { kind: "user", sessionToken });
  const userId = "userId" in key ? key.userId : "";
  await writeTransaction(ctx.db, async (tx) => {
    const visitorCart = await tx.cart.findUnique({ where: { visitorId }, include: { items: true } });
    if (!visitorCart) return;
    const userCart = await tx.cart.upsert({ where: { userId }, create: { userId }, update: {} });
    for (const item of visitorCart.items) {
      const existing = await tx.cartItem.findUnique({
        where: { cartId_productId: { cartId: userCart.id, productId: item.productId } },
      });
      if (existing) {
        await tx.cartItem.update({
          where: { cartId_productId: { cartId: userCart.id, productId: item.productId } },
          data: { quantity: Math.min(maxQuantity, existing.quantity + item.quantity) },
        });
      } else {
        await tx.cartItem.create({
          data: {
            cartId: userCart.id,
            productId: item.productId,
            quantity: item.quantity,
            unitPriceMinor: item.unitPriceMinor,
            currency: item.currency,
            addedAt: item.addedAt,
          },
        });
      }
    }
    await tx.cart.delete({ where: { id: visitorCart.id } });
  });
  return viewCartOf(ctx, key);
}
