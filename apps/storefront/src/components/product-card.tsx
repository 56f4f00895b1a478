import Link from "next/link";
import { formatPrice } from "~/lib/format-price";
import type { ProductSummary } from "~/trpc/types";
import styles from "./product-card.module.css";

export function ProductCard({ product, priority = false }: { product: ProductSummary; priority?: boolean }) {
  return (
    <article className={styles.card} data-testid="product-card">
      <div className={styles.media}>
        {/* Product art is SVG served by this app; next/image adds nothing for vectors. */}
        <img src={product.image} alt="" width={480} height={480} loading={priority ? "eager" : "lazy"} className={styles.image} />
      </div>
      <div className={styles.body}>
        <p className={styles.category}>{product.category.name}</p>
        <h3 className={styles.name}>
          {/* The link covers the whole card; its name is the product's name alone. */}
          <Link href={`/p/${product.slug}`} className={styles.link}>
            {product.name}
          </Link>
        </h3>
        <p className={styles.price}>{formatPrice(product.priceMinor, product.currency)}</p>
      </div>
    </article>
  );
}
