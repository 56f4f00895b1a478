import { expect, type Page } from "@playwright/test";

/**
 * Watches a page for what must never happen: a CSP violation (reported on the console and as a
 * `securitypolicyviolation` event, in any frame), a dialog (an injected `alert()`), or a page error.
 * `assertClean()` fails the test with everything seen.
 */
export async function guardPage(page: Page): Promise<{ assertClean: () => Promise<void> }> {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy|Refused to (execute|load|apply|connect|frame)/i.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  // Runs before any script of every document, including the email's srcdoc frame.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const seen = ((window as unknown as { __csp?: string[] }).__csp ??= []);
      seen.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
    });
  });
  return {
    async assertClean() {
      for (const frame of page.frames()) {
        const seen = await frame
          .evaluate(() => (window as unknown as { __csp?: string[]; __xss?: unknown }).__csp ?? [])
          .catch(() => []);
        problems.push(...seen.map((text) => `securitypolicyviolation: ${text}`));
        const xss = await frame.evaluate(() => (window as unknown as { __xss?: unknown }).__xss).catch(() => undefined);
        if (xss !== undefined) problems.push(`injected script ran in ${frame.url()}`);
      }
      expect(problems).toEqual([]);
    },
  };
}
