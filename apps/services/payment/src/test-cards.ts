/** Why the simulated network refuses a charge; callers read it from `payments.get`. */
export type DeclineCode = "card_declined" | "insufficient_funds";

export const declineMessages: Readonly<Record<DeclineCode, string>> = {
  card_declined: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
};

interface NetworkAnswer {
  readonly declineCode: DeclineCode | null;
  /** Answers only after PAYMENT_SLOW_CARD_DELAY_MS, long enough to time out a caller. */
  readonly slow: boolean;
}

/** Card numbers with a fixed behaviour, in the style of common processors' test cards (README). */
export const testCards: Readonly<Record<string, NetworkAnswer>> = {
  "4242424242424242": { declineCode: null, slow: false },
  "4000000000000002": { declineCode: "card_declined", slow: false },
  "4000000000009995": { declineCode: "insufficient_funds", slow: false },
  "4000000000006975": { declineCode: null, slow: true },
};

/** What the card network says about a card: every valid card that is not a test card is approved. */
export function networkAnswer(digits: string): NetworkAnswer {
  return testCards[digits] ?? { declineCode: null, slow: false };
}

export function isDeclineCode(code: string | null): code is DeclineCode {
  return code !== null && code in declineMessages;
}
