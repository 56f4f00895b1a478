/**
 * When a live dot reaches a service, the chip of the replica that served it (its
 * `service.instance.id`) lights up, so a learner sees the calls spread across the replicas, not
 * only their rates. Outside React, like the dots: a chip counts its arrivals in `data-arrivals` and
 * flashes with the Web Animations API, which re-renders nothing (and skips the flash for people who
 * ask for reduced motion).
 */
const flash: Keyframe[] = [{ boxShadow: "0 0 0 0 var(--chip-pulse, #7dd3fc)" }, { boxShadow: "0 0 0 4px transparent" }];

export function pulseReplica(instance: string, afterMs: number): void {
  if (typeof document === "undefined") return;
  setTimeout(() => {
    const chip = document.querySelector<HTMLElement>(`[data-instance="${CSS.escape(instance)}"]`);
    if (!chip) return;
    chip.dataset.arrivals = String(Number(chip.dataset.arrivals ?? 0) + 1);
    if (!window.matchMedia("(prefers-reduced-motion: reduce)").matches)
      chip.animate(flash, { duration: 450, easing: "ease-out" });
  }, afterMs);
}
