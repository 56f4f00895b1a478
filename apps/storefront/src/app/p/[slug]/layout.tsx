import { ServiceUnavailable } from "~/components/service-unavailable";
import { loadProduct } from "./load-product";

/**
 * Looks the product up before anything streams: `notFound()` from here (outside the page's loading
 * boundary) still sets HTTP 404, which a page behind a skeleton no longer can. The page then reads
 * the product from the same request's query cache.
 */
export default async function ProductLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const product = await loadProduct((await params).slug);
  return product.ok ? children : <ServiceUnavailable />;
}
