import type { Metadata } from "next";
import { AddToCart } from "~/components/add-to-cart";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ServiceUnavailable } from "~/components/service-unavailable";
import { StockBadge } from "~/components/stock-badge";
import { env } from "~/env";
import { formatPrice } from "~/lib/format-price";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";
import { loadProduct } from "./load-product";
import styles from "./product.module.css";

interface ProductPageProps {
  readonly params: Promise<{ slug: string }>;
}

export async function generateMetadata({ params }: ProductPageProps): Promise<Metadata> {
  const product = await loadProduct((await params).slug);
  return product.ok ? { title: product.data.name, description: product.data.description } : {};
}

export default async function ProductPage({ params }: ProductPageProps) {
  const loaded = await loadProduct((await params).slug);
  // The layout already showed the outage page in this case; this only narrows the type.
  if (!loaded.ok) return <ServiceUnavailable />;
  const product = loaded.data;
  // Rendered per view: the stock comes with the page, streamed as soon as inventory answers (not
  // awaited). A page the page cache keeps leaves it to the browser, so stock stays live (the
  // layout preloads it).
  if (env.PAGE_CACHE === "off")
    void getQueryClient().prefetchQuery(trpc.stock.forProduct.queryOptions({ productId: product.id }));

  const attributes = Object.entries(product.attributes);
  const image = product.images[0] ?? `/images/products/${product.slug}.svg`;

  return (
    <HydrateClient>
      <div className="container">
        <Breadcrumbs
          items={[
            { label: "Home", href: "/" },
            {
              label: product.category.name,
              href: `/c/${product.category.slug}`,
            },
            { label: product.name },
          ]}
        />
        <article className={styles.layout}>
          <div className={styles.gallery}>
            <img src={image} alt={product.name} width={800} height={800} className={styles.image} />
          </div>
          <div className={styles.details}>
            <p className={styles.category}>{product.category.name}</p>
            <h1 className={styles.name}>{product.name}</h1>
            <p className={styles.price}>{formatPrice(product.priceMinor, product.currency)}</p>
            <StockBadge productId={product.id} />
            <AddToCart productId={product.id} />
            <section aria-labelledby="description-title" className={styles.section}>
              <h2 id="description-title" className={styles.sectionTitle}>
                About this product
              </h2>
              <p className={styles.description}>{product.description}</p>
            </section>
            {attributes.length > 0 ? (
              <section aria-labelledby="details-title" className={styles.section}>
                <h2 id="details-title" className={styles.sectionTitle}>
                  Details
                </h2>
                <dl className={styles.attributes}>
                  {attributes.map(([name, value]) => (
                    <div key={name} className={styles.attribute}>
                      <dt>{name}</dt>
                      <dd>{value}</dd>
                    </div>
                  ))}
                </dl>
              </section>
            ) : null}
          </div>
        </article>
      </div>
    </HydrateClient>
  );
}
