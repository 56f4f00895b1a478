/**
 * Set by the production server (./main.ts) before Next.js starts, read by src/instrumentation.ts: this
 * server makes the requests' server spans (./front-door.ts), so the HTTP instrumentation leaves them
 * alone. A module of its own, with no imports, so the instrumentation file takes nothing else with it.
 */
export const frontDoorSpansVariable = "STOREFRONT_FRONT_DOOR_SPANS";
