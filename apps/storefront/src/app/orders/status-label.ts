/** The saga's states, in a shopper's words. */
export function statusLabel(status: string): string {
  switch (status) {
    case "paid":
      return "Confirmed";
    case "failed":
      return "Not completed";
    default:
      return "Processing";
  }
}
