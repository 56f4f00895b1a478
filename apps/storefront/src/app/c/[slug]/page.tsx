import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { Listing } from "~/components/listing";
import { Notice } from "~/components/notice";
import { PageHeading } from "~/components/page-heading";
import { ServiceUnavailable } from "~/components/service-unavailable";
import { listingHref, parseListingParams } from "~/lib/listing-params";
import { readSearch } from "~/server/catalog-cache";
import { loadCatalog } from "~/trpc/server";
import { loadCategory } from "./load-category";

interface CategoryPageProps {
  readonly params: Promise<{ slug: string }>;
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const PAGE_SIZE = 12;

export async function generateMetadata({ params }: CategoryPageProps): Promise<Metadata> {
  const { slug } = await params;
  const category = await loadCategory(slug);
  return category.ok ? { title: category.data.name, description: category.data.description } : {};
}

export default async function CategoryPage({ params, searchParams }: CategoryPageProps) {
  const { slug } = await params;
  const listing = parseListingParams(await searchParams);
  const [category, result] = await Promise.all([
    loadCategory(slug),
    loadCatalog(() => readSearch({ categorySlug: slug, page: listing.page, pageSize: PAGE_SIZE, sort: listing.sort })),
  ]);
  if (!category.ok || !result.ok) return <ServiceUnavailable />;

  const path = `/c/${category.data.slug}`;
  return (
    <div className="container">
      <Breadcrumbs items={[{ label: "Home", href: "/" }, { label: category.data.name }]} />
      <PageHeading title={category.data.name}>
        <p>{category.data.description}</p>
      </PageHeading>
      <Listing
        result={result.data}
        params={{ ...listing, q: "" }}
        path={path}
        context="category"
        label={`${category.data.name} products`}
        empty={
          <Notice headingLevel={2} title={result.data.total === 0 ? "Nothing here yet" : "This page is empty"}>
            {result.data.total === 0 ? (
              <p>New things for this category are on their way. Have a look around the rest of the shop meanwhile.</p>
            ) : (
              <p>
                There are fewer pages than that.{" "}
                <Link href={listingHref(path, { ...listing, q: "", page: 1 })}>Go to the first page</Link>.
              </p>
            )}
          </Notice>
        }
      />
    </div>
  );
}
