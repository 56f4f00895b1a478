/**
 * The browser the screenshot scripts drive: Debian's Chromium (or CHROMIUM_PATH) with the flags an
 * offline machine needs, one page, and `shot(name)` writing `<outDir>/<name>.png`.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

export async function openShotBrowser(outDir: string, viewport: { width: number; height: number }) {
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport });
  const shot = async (name: string) => {
    const file = path.join(outDir, `${name}.png`);
    await page.screenshot({ path: file });
    console.warn(file);
  };
  return { browser, page, shot };
}
