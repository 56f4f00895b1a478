import type { ProductSummary } from "~/trpc/types";
import { ProductCard } from "./product-card";
import styles from "./product-grid.module.css";

export function ProductGrid({ products, label }: { products: readonly ProductSummary[]; label: string }) {
  return (
    <ul className={styles.grid} aria-label={label}>
      {products.map((product, index) => (
        <li key={product.id} className={styles.item}>
          <ProductCard product={product} priority={index < 4} />
        </li>
      ))}
    </ul>
  );
}
