import { LoadingLabel, ProductGridSkeleton, Skeleton } from "~/components/skeleton";

export default function HomeLoading() {
  return (
    <div className="container" style={{ paddingTop: "var(--space-7)" }}>
      <LoadingLabel text="Loading the shop…" />
      <Skeleton width="10rem" height="0.9rem" />
      <div style={{ height: "var(--space-4)" }} />
      <Skeleton width="min(520px, 90%)" height="3.2rem" />
      <div style={{ height: "var(--space-3)" }} />
      <Skeleton width="min(420px, 80%)" height="1.2rem" />
      <div style={{ height: "var(--space-7)" }} />
      <ProductGridSkeleton count={4} />
    </div>
  );
}
