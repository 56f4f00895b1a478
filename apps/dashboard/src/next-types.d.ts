// CSS modules and Next's globals, also before the first `next build` writes next-env.d.ts.
/// <reference types="next" />
/// <reference types="next/image-types/global" />
