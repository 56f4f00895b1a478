/**
 * The load generator drives only a storefront on this machine: a lab tool that could be pointed at
 * any address would be a tool for flooding someone else's shop.
 */
const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);

export class NotLoopbackError extends Error {
  override readonly name = "NotLoopbackError";
}

/** The storefront's origin (no path, no trailing slash), or a NotLoopbackError saying why not. */
export function loopbackOrigin(storefrontUrl: string): string {
  let url: URL;
  try {
    url = new URL(storefrontUrl);
  } catch {
    throw new NotLoopbackError(
      `The load generator needs the storefront's URL, like http://127.0.0.1:3000; got "${storefrontUrl}"`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new NotLoopbackError(`The storefront's URL must be http or https; got ${url.protocol}`);
  if (!loopbackHosts.has(url.hostname.toLowerCase()))
    throw new NotLoopbackError(
      `The load generator drives only a storefront on this machine (127.0.0.1, localhost or ::1); ${url.hostname} is not one`,
    );
  return url.origin;
}
