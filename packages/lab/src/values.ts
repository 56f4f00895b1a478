/**
 * The lab's plain values: constants and pure functions, and no zod schema, so that browser code
 * (the dashboard's forms and map) can import them. zod probes `new Function` when it builds an
 * object schema, and a strict Content-Security-Policy reports that probe even though zod catches it.
 * The other modules re-export what is here.
 */
export const MAX_REPLICAS = 5;

/**
 * What a new version does. `good`: the same service, a new version a learner can see (its
 * `service.version` on every span, and a visible line in what it serves). `errors`: a bad build
 * that fails a share of its calls. `breaking`: a changed API that refuses what current callers
 * send (the versioning discipline microservices demand).
 */
export const versionFlavours = ["good", "errors", "breaking"] as const;
export type VersionFlavour = (typeof versionFlavours)[number];

export const journeyNames = ["browse", "search", "cart", "signUp", "checkout"] as const;
export type JourneyName = (typeof journeyNames)[number];

/** W3C baggage key on every request of the load generator; its spans carry it as an attribute. */
export const LOAD_BAGGAGE_KEY = "microshop.synthetic";
export const LOAD_BAGGAGE = `${LOAD_BAGGAGE_KEY}=load`;

export const MAX_RATE = 50;

/** The load's settings until a learner changes them (`load.test.ts` parses them with the schema). */
export const defaultLoadSettings = {
  rate: 5,
  mix: { browse: 40, search: 20, cart: 20, signUp: 5, checkout: 15 },
  declineShare: 0.1,
  maxDurationS: 600,
  maxInFlight: 50,
};
