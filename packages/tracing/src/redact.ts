/**
 * What must never leave a process in a span: query strings (a tRPC GET carries its whole input
 * there), fields named for a secret (cookies, authorization, passwords, tokens) and any value shaped
 * like one of our credentials. The trace view is open to whoever can load the dashboard, so a session
 * token in a span is an account taken over.
 *
 * Hand-written because the SDK offers no redaction of its own: the instrumentations only record,
 * and the Collector's redaction processor runs after the spans have already left the process. The
 * credential shapes live here, once, so the telemetry service refuses the very same ones.
 */
import type { Attributes, AttributeValue } from "@opentelemetry/api";
import {
  ATTR_HTTP_REQUEST_HEADER,
  ATTR_HTTP_RESPONSE_HEADER,
  ATTR_URL_FRAGMENT,
  ATTR_URL_FULL,
  ATTR_URL_QUERY,
} from "@opentelemetry/semantic-conventions";
import { ATTR_HTTP_TARGET, ATTR_HTTP_URL, ATTR_URL_ORIGINAL } from "@opentelemetry/semantic-conventions/incubating";

/** What a removed value is replaced with: the attribute stays, so a reader sees something was there. */
export const REDACTED = "REDACTED";

// Attributes that hold a whole URL (or a path with its query) in the current or older conventions.
const urlKeys = new Set<string>([ATTR_URL_FULL, ATTR_HTTP_URL, ATTR_HTTP_TARGET, ATTR_URL_ORIGINAL]);
const queryKeys = new Set<string>([ATTR_URL_QUERY, ATTR_URL_FRAGMENT]);
const headerPrefixes = [ATTR_HTTP_REQUEST_HEADER(""), ATTR_HTTP_RESPONSE_HEADER("")];
// A key part that names a secret, e.g. `http.request.header.cookie`, `user.password`, `x-service-token`.
const secretKeyPart =
  /(?:^|[._-])(?:cookie|set-cookie|authorization|proxy-authorization|password|passwd|secret|token|api-?key|card|cvc|cvv)(?:[._-]|$)/i;
const secretHeaders = new Set(["cookie", "set-cookie", "authorization", "proxy-authorization", "x-service-token"]);

// A visitor id (`v_` and a UUID, the storefront's cart cookie).
const visitorId = /v_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// A session token (32 random bytes in base64url, 43 characters) or a JWT segment: a long run of
// base64url characters. Both cases of letter are required so that slugs, hex ids and words are not
// taken for one; a random 43-character token lacks one case about once in five billion.
const tokenRun = /[A-Za-z0-9_-]{40,}/g;
const mixedCase = (run: string) => /[a-z]/.test(run) && /[A-Z]/.test(run);
// The password of a URL's user info, e.g. a DATABASE_URL in an error message: postgres://user:secret@host.
const urlPassword = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^/\s@]+@/gi;
// A card number: 13 to 19 digits, maybe grouped by spaces or dashes, that pass the Luhn check.
const cardRun = /\d(?:[ -]?\d){12,18}/g;

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

// Where any of the shapes above could begin, in one pass: what each of them must at least contain.
// Most strings (span names, routes, SQL) contain none of it and skip the four replacements.
const anyCredential = /:\/\/|v_[0-9a-f]{8}-|[A-Za-z0-9_-]{40}|\d(?:[ -]?\d){12}/i;

/** The text with every credential-shaped part (session token, visitor id, JWT, card number, URL password) replaced. */
export function redactCredentials(text: string): string {
  if (!anyCredential.test(text)) return text;
  return text
    .replace(urlPassword, `$1${REDACTED}@`)
    .replace(visitorId, REDACTED)
    .replace(tokenRun, (run) => (mixedCase(run) ? REDACTED : run))
    .replace(cardRun, (run) => (passesLuhn(run.replace(/[ -]/g, "")) ? REDACTED : run));
}

/** Whether the text holds anything shaped like one of our credentials. */
export function carriesCredential(text: string): boolean {
  return redactCredentials(text) !== text;
}

/** `a=1&b=2` as `a=REDACTED&b=REDACTED`: which parameters were sent stays readable, not their values. */
function redactQuery(query: string): string {
  if (query === "") return query;
  return query
    .split("&")
    .map((pair) => {
      const equals = pair.indexOf("=");
      return equals === -1 ? REDACTED : `${pair.slice(0, equals)}=${REDACTED}`;
    })
    .join("&");
}

/** A URL (or a path) with its query values and its fragment redacted. */
export function redactUrl(url: string): string {
  const hash = url.indexOf("#");
  const withoutFragment = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? "" : `#${REDACTED}`;
  const question = withoutFragment.indexOf("?");
  if (question === -1) return redactCredentials(withoutFragment) + fragment;
  return `${redactCredentials(withoutFragment.slice(0, question))}?${redactQuery(withoutFragment.slice(question + 1))}${fragment}`;
}

function namesSecret(key: string): boolean {
  const header = headerPrefixes.find((prefix) => key.startsWith(prefix));
  if (header !== undefined && secretHeaders.has(key.slice(header.length).toLowerCase())) return true;
  return secretKeyPart.test(key);
}

// Attribute keys are a few dozen names asked about on every span: each is looked at once (and a
// process that invents keys without end stops adding them here past a thousand).
const knownKeys = new Map<string, boolean>();

function isSecretKey(key: string): boolean {
  let secret = knownKeys.get(key);
  if (secret === undefined) {
    secret = namesSecret(key);
    if (knownKeys.size < 1_000) knownKeys.set(key, secret);
  }
  return secret;
}

function isStringArray(value: AttributeValue): value is Array<string | null | undefined> {
  return Array.isArray(value) && value.some((item) => typeof item === "string");
}

function redactValue(key: string, value: AttributeValue): AttributeValue {
  if (isSecretKey(key)) return REDACTED;
  const redactString = urlKeys.has(key) ? redactUrl : queryKeys.has(key) ? redactQuery : redactCredentials;
  if (typeof value === "string") return redactString(value);
  if (isStringArray(value)) return value.map((item) => (typeof item === "string" ? redactString(item) : item));
  return value;
}

function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  if (a === b) return true;
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => item === b[i]);
}

/**
 * Only the attributes that change, with their redacted values (empty when nothing needs it). Runs
 * on every span of every process (a checkout is about 80): compared value by value, not by
 * serializing both sides, and numbers and booleans, which cannot hold a credential, are passed by
 * unless their key names a secret.
 */
export function redactedAttributes(attributes: Attributes): Attributes {
  const changed: Attributes = {};
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined) continue;
    if ((typeof value === "number" || typeof value === "boolean") && !isSecretKey(key)) continue;
    const redacted = redactValue(key, value);
    if (!sameValue(redacted, value)) changed[key] = redacted;
  }
  return changed;
}

/** A span name with any query string cut off and credential-shaped parts replaced. */
export function redactSpanName(name: string): string {
  return redactCredentials(name.includes("?") ? name.replace(/\?\S*/g, "") : name);
}
