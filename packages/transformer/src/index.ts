// The one wire format of every tRPC hop (browser, BFF, services, supervisor, tests): superjson keeps
// Dates and Maps intact. Its own package because both ends import it, the browser's bundle included,
// and it must pull in nothing else.
import superjson from "superjson";

export const transformer = superjson;
