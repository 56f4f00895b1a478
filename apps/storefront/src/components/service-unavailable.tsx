import { HomeLink, Notice } from "./notice";
import { RetryButton } from "./retry-button";

/**
 * What a page shows when the catalog could not be reached: the shop is still there, this shelf is not.
 * Marked so the page cache never keeps it: the page must come back with the catalog.
 */
export function ServiceUnavailable({ headingLevel = 1 }: { headingLevel?: 1 | 2 }) {
  return (
    <div className="container" data-page-cache="no-store">
      <Notice
        tone="problem"
        headingLevel={headingLevel}
        title="The catalog is taking a short break"
        actions={
          <>
            <RetryButton />
            <HomeLink />
          </>
        }
      >
        <p>We could not reach our product catalog just now, so we cannot show this page.</p>
        <p>Nothing is lost; please try again in a moment.</p>
      </Notice>
    </div>
  );
}
