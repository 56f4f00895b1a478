import { ServiceUnavailable } from "~/components/service-unavailable";
import { loadCategory } from "./load-category";

/**
 * Looks the category up before anything streams, so an unknown one is a real HTTP 404; the listing
 * below streams behind its skeleton (sorting and paging only re-render the page, not this layout).
 */
export default async function CategoryLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const category = await loadCategory((await params).slug);
  return category.ok ? children : <ServiceUnavailable />;
}
