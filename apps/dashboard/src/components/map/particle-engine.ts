import { edgeId } from "~/lib/map-model";

const svgNs = "http://www.w3.org/2000/svg";

interface EdgeSlot {
  readonly group: SVGGElement;
  readonly pathId: string;
  active: number;
}

export interface ParticleOptions {
  /** How long the dot takes there and back. */
  readonly durationMs: number;
  readonly error: boolean;
  /** Replay dots are bigger, never dropped for the per-edge cap, and shown while live ones are muted. */
  readonly variant?: "live" | "replay";
  /** The callee's version, when its service runs two: the newer one's dots are drawn apart. */
  readonly tone?: "current" | "next" | null;
}

/** An id usable in `href="#…"` for an edge's motion path. */
export const particlePathId = (id: string): string => `particle-path-${id.replace(/[^A-Za-z0-9_-]/g, "_")}`;

/**
 * Dots travelling along the map's edges, added straight to each edge's SVG group with
 * `<animateMotion>` + `<mpath>`: the browser animates them, React never hears of them, so
 * thousands cost no re-render. A cap per edge (and overall) drops extras, which keeps 2,000
 * requests a second smooth: past a few dots an edge already reads as "busy".
 */
export class ParticleEngine {
  private readonly slots = new Map<string, EdgeSlot>();
  private total = 0;
  private liveMuted = false;
  private emitted = 0;
  private dropped = 0;

  constructor(
    private readonly perEdgeCap = 12,
    private readonly totalCap = 500,
  ) {}

  /** Called by an edge when it mounts; returns the detach function for its unmount. */
  attach(id: string, group: SVGGElement, pathId: string): () => void {
    const slot: EdgeSlot = { group, pathId, active: 0 };
    this.slots.set(id, slot);
    return () => {
      if (this.slots.get(id) === slot) this.slots.delete(id);
    };
  }

  /** While a replay runs, live dots are held back so the replayed ones can be followed. */
  muteLive(muted: boolean): void {
    this.liveMuted = muted;
  }

  get stats(): { active: number; emitted: number; dropped: number } {
    return { active: this.total, emitted: this.emitted, dropped: this.dropped };
  }

  /** Sends one dot from `source` to `target` and back; false when there is no such edge or it is full. */
  emit(source: string, target: string, options: ParticleOptions): boolean {
    const slot = this.slots.get(edgeId(source, target));
    const replay = options.variant === "replay";
    if (!slot || typeof document === "undefined") return false;
    if (!replay && (this.liveMuted || slot.active >= this.perEdgeCap || this.total >= this.totalCap)) {
      this.dropped += 1;
      return false;
    }
    const dot = document.createElementNS(svgNs, "circle");
    dot.setAttribute("r", replay ? "7" : "3.2");
    const tone = options.tone === "next" ? " particle-next" : "";
    dot.setAttribute("class", `particle${tone}${options.error ? " particle-error" : ""}${replay ? " particle-replay" : ""}`);
    dot.setAttribute("data-testid", "particle");
    const motion = document.createElementNS(svgNs, "animateMotion");
    motion.setAttribute("dur", `${Math.max(1, Math.round(options.durationMs))}ms`);
    motion.setAttribute("keyPoints", "0;1;0");
    motion.setAttribute("keyTimes", "0;0.5;1");
    motion.setAttribute("calcMode", "linear");
    motion.setAttribute("fill", "freeze");
    // "indefinite" + beginElement(): a motion added after the document's timeline began starts now.
    motion.setAttribute("begin", "indefinite");
    const mpath = document.createElementNS(svgNs, "mpath");
    mpath.setAttribute("href", `#${slot.pathId}`);
    motion.appendChild(mpath);
    dot.appendChild(motion);
    slot.group.appendChild(dot);
    slot.active += 1;
    this.total += 1;
    this.emitted += 1;
    motion.beginElement();
    setTimeout(() => {
      dot.remove();
      slot.active -= 1;
      this.total -= 1;
    }, options.durationMs + 40);
    return true;
  }
}

/** The one engine of the page: edges attach to it, the live stream and replays emit into it. */
export const particles = new ParticleEngine();
