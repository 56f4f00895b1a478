import type { Metadata } from "next";
import { OrderDetail } from "./order-detail";

export const metadata: Metadata = { title: "Order" };

export default async function OrderPage({ params }: { readonly params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <div className="container">
      <OrderDetail orderId={id} />
    </div>
  );
}
