import Link from "next/link";
import { CategoryTile } from "~/components/category-tile";
import { ProductGrid } from "~/components/product-grid";
import { ServiceUnavailable } from "~/components/service-unavailable";
import { readCategories, readFeatured } from "~/server/catalog-cache";
import { loadCatalog } from "~/trpc/server";
import styles from "./home.module.css";

// Rendered per request (for its CSP nonce), never at build time; the catalog comes from the cache.
export const dynamic = "force-dynamic";

export default async function HomePage() {
  const [categories, featured] = await Promise.all([loadCatalog(() => readCategories()), loadCatalog(() => readFeatured(8))]);
  const firstCategory = categories.ok ? categories.data[0] : undefined;
  const heroProducts = featured.ok ? featured.data.slice(0, 3) : [];

  return (
    <>
      <section className={styles.hero} aria-labelledby="hero-title">
        <div className={`container ${styles.heroInner}`}>
          <div className={styles.heroCopy}>
            <p className={styles.eyebrow}>New season, same good things</p>
            <h1 id="hero-title" className={styles.heroTitle}>
              Well-made goods for everyday living
            </h1>
            <p className={styles.heroText}>
              Kettles that last, lamps that glow just right, notebooks worth filling. Chosen with care, priced fairly.
            </p>
            <div className={styles.heroActions}>
              <Link href="/search" className={styles.primaryCta}>
                Shop all products
              </Link>
              {firstCategory ? (
                <Link href={`/c/${firstCategory.slug}`} className={styles.secondaryCta}>
                  Browse {firstCategory.name}
                </Link>
              ) : null}
            </div>
          </div>
          {heroProducts.length > 0 ? (
            // Decoration only: the same products are listed, with names, further down.
            <div className={styles.heroArt} aria-hidden="true">
              {heroProducts.map((product) => (
                <img key={product.id} src={product.image} alt="" width={320} height={320} className={styles.heroImage} />
              ))}
            </div>
          ) : null}
        </div>
      </section>

      {!categories.ok && !featured.ok ? (
        <ServiceUnavailable headingLevel={2} />
      ) : (
        <div className="container">
          {categories.ok && categories.data.length > 0 ? (
            <section className={styles.section} aria-labelledby="categories-title">
              <h2 id="categories-title" className={styles.sectionTitle}>
                Shop by category
              </h2>
              <ul className={styles.categoryGrid}>
                {categories.data.map((category) => (
                  <li key={category.id}>
                    <CategoryTile category={category} />
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          {featured.ok && featured.data.length > 0 ? (
            <section className={styles.section} aria-labelledby="featured-title">
              <div className={styles.sectionHead}>
                <h2 id="featured-title" className={styles.sectionTitle}>
                  Featured this week
                </h2>
                <Link href="/search" className={styles.seeAll}>
                  See everything <span aria-hidden="true">→</span>
                </Link>
              </div>
              <ProductGrid products={featured.data} label="Featured products" />
            </section>
          ) : null}
        </div>
      )}
    </>
  );
}
