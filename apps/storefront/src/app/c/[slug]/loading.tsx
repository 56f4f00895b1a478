import { LoadingLabel, ProductGridSkeleton, Skeleton } from "~/components/skeleton";

export default function CategoryLoading() {
  return (
    <div className="container" style={{ paddingTop: "var(--space-5)" }}>
      <LoadingLabel text="Loading category…" />
      <Skeleton width="8rem" height="0.9rem" />
      <div style={{ height: "var(--space-5)" }} />
      <Skeleton width="min(300px, 60%)" height="2.5rem" />
      <div style={{ height: "var(--space-3)" }} />
      <Skeleton width="min(480px, 90%)" height="1.1rem" />
      <div style={{ height: "var(--space-6)" }} />
      <ProductGridSkeleton />
    </div>
  );
}
