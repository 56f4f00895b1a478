const SVG_FILE = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.svg$/;

/**
 * Serves generated artwork for `<slug>.svg`. The art for a slug never changes, so browsers may
 * keep it for a year; an unknown slug (the renderer returns nothing or throws) is a plain 404.
 */
export function svgResponse(file: string, render: (slug: string) => string | null | undefined): Response {
  const slug = SVG_FILE.exec(file)?.[1];
  let svg: string | null | undefined;
  try {
    svg = slug ? render(slug) : undefined;
  } catch {
    svg = undefined;
  }
  if (!svg) {
    return new Response("No image with that name", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return new Response(svg, {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Cache-Control": "public, max-age=31536000, immutable",
      // SVG can carry script; this keeps a served image from ever running any.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
