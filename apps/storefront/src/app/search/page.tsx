import type { Metadata } from "next";
import Link from "next/link";
import { Listing } from "~/components/listing";
import { Notice } from "~/components/notice";
import { PageHeading } from "~/components/page-heading";
import { ServiceUnavailable } from "~/components/service-unavailable";
import { listingHref, parseListingParams } from "~/lib/listing-params";
import { readSearch } from "~/server/catalog-cache";
import { loadCatalog } from "~/trpc/server";

interface SearchPageProps {
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const PAGE_SIZE = 12;

export async function generateMetadata({ searchParams }: SearchPageProps): Promise<Metadata> {
  const { q } = parseListingParams(await searchParams);
  return {
    title: q ? `Search: ${q}` : "All products",
    robots: { index: false },
  };
}

export default async function SearchPage({ searchParams }: SearchPageProps) {
  const params = parseListingParams(await searchParams);
  const result = await loadCatalog(() =>
    readSearch({ q: params.q || undefined, page: params.page, pageSize: PAGE_SIZE, sort: params.sort }),
  );
  if (!result.ok) return <ServiceUnavailable />;

  return (
    <div className="container">
      <PageHeading title={params.q ? `Results for “${params.q}”` : "All products"}>
        {params.q ? null : <p>Everything in the shop, in one place.</p>}
      </PageHeading>
      <Listing
        result={result.data}
        params={params}
        path="/search"
        context="search"
        label={params.q ? `Search results for ${params.q}` : "All products"}
        empty={
          result.data.total === 0 ? (
            <Notice headingLevel={2} title="No products found">
              <p>
                Nothing matched <strong>“{params.q}”</strong>. Check the spelling, try a broader word, or{" "}
                <Link href="/search">browse everything</Link>.
              </p>
            </Notice>
          ) : (
            <Notice headingLevel={2} title="This page is empty">
              <p>
                There are fewer pages than that.{" "}
                <Link href={listingHref("/search", { ...params, page: 1 })}>Go to the first page</Link>.
              </p>
            </Notice>
          )
        }
      />
    </div>
  );
}
