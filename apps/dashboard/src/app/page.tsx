import { Dashboard } from "~/components/dashboard";
import { env } from "~/env";

// Read at request time, so the store's address comes from the running environment, not the build.
export const dynamic = "force-dynamic";

export default function HomePage() {
  return <Dashboard storefrontUrl={env.STOREFRONT_PUBLIC_URL} />;
}
