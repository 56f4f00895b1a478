import Link from "next/link";
import type { Category } from "~/trpc/types";
import styles from "./category-tile.module.css";

export function CategoryTile({ category }: { category: Category }) {
  return (
    <Link href={`/c/${category.slug}`} className={styles.tile}>
      <img src={`/images/categories/${category.slug}.svg`} alt="" width={600} height={400} className={styles.image} />
      <span className={styles.text}>
        <span className={styles.name}>{category.name}</span>
        <span className={styles.count}>
          {category.productCount} {category.productCount === 1 ? "product" : "products"}
        </span>
      </span>
    </Link>
  );
}
