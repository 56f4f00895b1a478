import { LoadingLabel, ProductGridSkeleton, Skeleton } from "~/components/skeleton";

export default function SearchLoading() {
  return (
    <div className="container" style={{ paddingTop: "var(--space-6)" }}>
      <LoadingLabel text="Searching…" />
      <Skeleton width="min(360px, 70%)" height="2.5rem" />
      <div style={{ height: "var(--space-5)" }} />
      <Skeleton width="12rem" height="1.2rem" />
      <div style={{ height: "var(--space-5)" }} />
      <ProductGridSkeleton />
    </div>
  );
}
