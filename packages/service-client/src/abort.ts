/** What a call rejects with when its signal aborts, as fetch does: the signal's reason, a DOMException "AbortError" unless given one. */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException("This operation was aborted", "AbortError");
}
