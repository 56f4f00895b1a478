import { ServiceUnavailable } from "~/components/service-unavailable";
import { env } from "~/env";
import { stockQueryUrl } from "~/trpc/stock-query";
import { loadProduct } from "./load-product";

/**
 * Looks the product up before anything streams: `notFound()` from here (outside the page's loading
 * boundary) still sets HTTP 404, which a page behind a skeleton no longer can. The page then reads
 * the product from the same request's query cache.
 *
 * A page the page cache keeps holds no stock level: the browser asks for it. The `<link
 * rel="preload">` rendered here, before the page's content, starts that request as the HTML is read;
 * the badge's query takes its answer once the scripts have run. (A plain element: React's
 * `preload()` sends a fetch preload only as a hint in the page's payload, which is read later.)
 */
export default async function ProductLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const product = await loadProduct((await params).slug);
  if (!product.ok) return <ServiceUnavailable />;
  if (env.PAGE_CACHE === "off") return children;
  return (
    <>
      <link rel="preload" as="fetch" href={stockQueryUrl(product.data.id)} crossOrigin="anonymous" />
      {children}
    </>
  );
}
