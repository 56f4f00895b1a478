import { listingHref, type ListingParams } from "~/lib/listing-params";
import type { RouterOutputs } from "~/trpc/types";
import { Pagination } from "./pagination";
import { ProductGrid } from "./product-grid";
import { SortSelect } from "./sort-select";
import styles from "./listing.module.css";

interface ListingProps {
  readonly result: RouterOutputs["catalog"]["search"];
  readonly params: ListingParams;
  /** The page's path, without the query: `/search`, `/c/kitchen`. */
  readonly path: string;
  readonly context: "search" | "category";
  readonly label: string;
  /** Shown in place of the grid when nothing matched. */
  readonly empty: React.ReactNode;
}

/** A page of products with its count, sort order and paging: the body of category and search pages. */
export function Listing({ result, params, path, context, label, empty }: ListingProps) {
  const first = (result.page - 1) * result.pageSize + 1;
  const last = first + result.items.length - 1;
  return (
    <>
      <div className={styles.toolbar}>
        <p className={styles.count} aria-live="polite">
          {result.total === 0
            ? "No products"
            : result.items.length === 0
              ? `${result.total} ${result.total === 1 ? "product" : "products"}`
              : `Showing ${first}–${last} of ${result.total} ${result.total === 1 ? "product" : "products"}`}
        </p>
        {result.total > 1 ? <SortSelect path={path} params={params} context={context} /> : null}
      </div>
      {result.items.length > 0 ? <ProductGrid products={result.items} label={label} /> : empty}
      <Pagination page={result.page} pageCount={result.pageCount} hrefFor={(page) => listingHref(path, params, { page })} />
    </>
  );
}
