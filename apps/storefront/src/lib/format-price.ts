const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats a price kept in minor units (cents) for display. The locale is fixed so the server and
 * the browser print the same string and hydration never disagrees.
 */
export function formatPrice(priceMinor: number, currency: string, locale = "en-US"): string {
  const key = `${locale}:${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: "currency", currency });
    formatters.set(key, formatter);
  }
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(priceMinor / 10 ** digits);
}
