import type { Metadata } from "next";
import { OrderList } from "./order-list";

export const metadata: Metadata = { title: "Your orders" };

export default function OrdersPage() {
  return (
    <div className="container">
      <OrderList />
    </div>
  );
}
