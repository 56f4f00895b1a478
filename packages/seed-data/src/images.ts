/**
 * Product and category pictures, drawn as SVG from the catalog itself so the shop ships its own
 * images (no hot-linking, no binary assets). Each product gets a flat illustration of its kind of
 * object, tinted with its colour attribute, on its category's background.
 */
import { categories, products, type SeedProduct } from "./catalog";

interface Palette {
  readonly from: string;
  readonly to: string;
  readonly accent: string;
}

const palettes: Readonly<Record<string, Palette>> = {
  kitchen: { from: "#f6ede3", to: "#ead8c4", accent: "#b4532a" },
  home: { from: "#f3efe7", to: "#e3dccd", accent: "#7a6a4f" },
  outdoors: { from: "#e8efe6", to: "#cfdcc9", accent: "#3f6b4a" },
  stationery: { from: "#eef0f4", to: "#d9dee8", accent: "#34456b" },
  audio: { from: "#ecebf2", to: "#d6d4e3", accent: "#4b3f72" },
  apparel: { from: "#f4ece9", to: "#e6d3cc", accent: "#8a3b3b" },
};
const fallbackPalette: Palette = { from: "#f1efeb", to: "#e0dcd4", accent: "#6b6256" };

// Colour words used in the catalog's `colour` attribute, mapped to a fill.
const colourWords: ReadonlyArray<readonly [string, string]> = [
  ["sage", "#9caf88"],
  ["charcoal", "#3d3f42"],
  ["oat", "#d8c7a8"],
  ["clear", "#cfe3ea"],
  ["walnut", "#6b4a33"],
  ["rust", "#b4532a"],
  ["natural", "#d9c3a0"],
  ["cream", "#efe4cc"],
  ["amber", "#c98a2c"],
  ["white", "#f4f1ea"],
  ["brass", "#c9a14a"],
  ["moss", "#6f7d4a"],
  ["terracotta", "#c0643f"],
  ["smoke", "#6e6a66"],
  ["sand", "#d7c2a0"],
  ["oak", "#b98d5a"],
  ["indigo", "#3b4a7a"],
  ["forest", "#2f5d45"],
  ["glacier", "#9cc7d6"],
  ["steel", "#8b949c"],
  ["blue", "#5b7fb0"],
  ["black", "#2b2b2e"],
  ["sunset", "#e0804f"],
  ["graphite", "#4a4d52"],
  ["tartan", "#9b3b3b"],
  ["ink", "#2d3f6b"],
  ["tan", "#b8875a"],
  ["kraft", "#b99a6b"],
  ["teal", "#2f6f73"],
  ["stone", "#a9a39a"],
  ["coral", "#e9765f"],
  ["mint", "#9fd3bf"],
  ["grey", "#8d8f93"],
  ["gray", "#8d8f93"],
  ["olive", "#6b6b3a"],
  ["mustard", "#d2a12f"],
  ["yellow", "#e8c13a"],
  ["burgundy", "#7a2a35"],
  ["speckled", "#ece7df"],
  ["heather", "#a7a3a6"],
];

function hash(text: string): number {
  let h = 2166136261;
  for (const char of text) h = Math.imul(h ^ char.charCodeAt(0), 16777619);
  return h >>> 0;
}

function fillFor(product: SeedProduct, palette: Palette): string {
  const colour = (product.attributes.colour ?? "").toLowerCase();
  const match = colourWords.find(([word]) => colour.includes(word));
  return match ? match[1] : palette.accent;
}

/** Escapes text for SVG/XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

type Shape = (fill: string, accent: string) => string;

// Each shape is drawn in a 800×800 box, standing on a shadow at y≈640.
const shapes: ReadonlyArray<readonly [RegExp, Shape]> = [
  [
    /kettle/i,
    (f, a) =>
      `<path d="M250 620 Q240 420 330 360 L470 360 Q560 420 550 620 Z" fill="${f}"/><path d="M300 360 Q400 240 500 360" fill="none" stroke="${a}" stroke-width="26" stroke-linecap="round"/><path d="M550 470 Q640 430 660 360" fill="none" stroke="${f}" stroke-width="34" stroke-linecap="round"/><rect x="370" y="330" width="60" height="30" rx="10" fill="${a}"/>`,
  ],
  [
    /pot|bowl/i,
    (f, a) =>
      `<path d="M210 440 L590 440 Q590 640 400 640 Q210 640 210 440 Z" fill="${f}"/><rect x="190" y="420" width="420" height="36" rx="18" fill="${a}"/><rect x="370" y="380" width="60" height="40" rx="14" fill="${a}"/>`,
  ],
  [
    /mug|cup/i,
    (f, a) =>
      `<rect x="270" y="360" width="240" height="280" rx="36" fill="${f}"/><path d="M510 420 Q610 420 610 500 Q610 580 510 580" fill="none" stroke="${f}" stroke-width="34"/><rect x="270" y="360" width="240" height="34" rx="16" fill="${a}" opacity="0.5"/>`,
  ],
  [
    /lamp|lantern/i,
    (f, a) =>
      `<path d="M280 250 L520 250 L580 430 L220 430 Z" fill="${f}"/><rect x="388" y="430" width="24" height="170" fill="${a}"/><ellipse cx="400" cy="620" rx="120" ry="26" fill="${a}"/><ellipse cx="400" cy="440" rx="150" ry="30" fill="#fff6d6" opacity="0.55"/>`,
  ],
  [
    /tent/i,
    (f, a) =>
      `<path d="M140 640 L400 250 L660 640 Z" fill="${f}"/><path d="M400 250 L400 640 M330 640 L400 460 L470 640" fill="none" stroke="${a}" stroke-width="18"/>`,
  ],
  [
    /bottle|ink/i,
    (f, a) =>
      `<rect x="330" y="300" width="140" height="340" rx="50" fill="${f}"/><rect x="360" y="230" width="80" height="80" rx="14" fill="${a}"/><rect x="330" y="420" width="140" height="90" fill="#ffffff" opacity="0.35"/>`,
  ],
  [
    /notebook|journal|planner|sketchbook/i,
    (f, a) =>
      `<rect x="240" y="220" width="320" height="420" rx="18" fill="${f}"/><rect x="240" y="220" width="40" height="420" rx="12" fill="${a}" opacity="0.6"/><rect x="520" y="220" width="14" height="420" fill="${a}"/><rect x="320" y="300" width="170" height="50" rx="8" fill="#ffffff" opacity="0.6"/>`,
  ],
  [
    /pen|pencil/i,
    (f, a) =>
      `<g transform="rotate(-35 400 430)"><rect x="370" y="170" width="60" height="420" rx="28" fill="${f}"/><path d="M370 590 L430 590 L400 680 Z" fill="${a}"/><rect x="366" y="230" width="68" height="26" fill="${a}"/></g>`,
  ],
  [
    /headphone/i,
    (f, a) =>
      `<path d="M250 500 Q250 240 400 240 Q550 240 550 500" fill="none" stroke="${f}" stroke-width="38" stroke-linecap="round"/><rect x="205" y="440" width="100" height="170" rx="40" fill="${a}"/><rect x="495" y="440" width="100" height="170" rx="40" fill="${a}"/>`,
  ],
  [
    /speaker|soundbar|radio/i,
    (f, a) =>
      `<rect x="250" y="230" width="300" height="410" rx="30" fill="${f}"/><circle cx="400" cy="510" r="90" fill="${a}"/><circle cx="400" cy="510" r="40" fill="${f}"/><circle cx="400" cy="330" r="42" fill="${a}"/>`,
  ],
  [
    /earbud/i,
    (f, a) =>
      `<rect x="260" y="400" width="280" height="200" rx="90" fill="${a}"/><circle cx="340" cy="360" r="60" fill="${f}"/><circle cx="460" cy="360" r="60" fill="${f}"/>`,
  ],
  [
    /turntable|record/i,
    (f, a) =>
      `<rect x="180" y="300" width="440" height="320" rx="24" fill="${f}"/><circle cx="370" cy="460" r="130" fill="#2b2b2e"/><circle cx="370" cy="460" r="36" fill="${a}"/><path d="M560 330 L520 520" stroke="${a}" stroke-width="14" stroke-linecap="round"/>`,
  ],
  [
    /shirt|tee|jacket/i,
    (f, a) =>
      `<path d="M300 230 L400 270 L500 230 L620 330 L560 400 L520 370 L520 640 L280 640 L280 370 L240 400 L180 330 Z" fill="${f}"/><path d="M360 240 L400 300 L440 240" fill="none" stroke="${a}" stroke-width="14"/>`,
  ],
  [
    /cap|beanie/i,
    (f, a) =>
      `<path d="M230 520 Q230 300 400 300 Q570 300 570 520 Z" fill="${f}"/><path d="M230 520 L640 520 Q650 560 600 570 L230 560 Z" fill="${a}"/><circle cx="400" cy="296" r="22" fill="${a}"/>`,
  ],
  [
    /sock|scarf|throw|blanket|rug|curtain|cushion|apron|tote/i,
    (f, a) =>
      `<rect x="230" y="260" width="340" height="380" rx="26" fill="${f}"/><path d="M230 340 H570 M230 420 H570 M230 500 H570" stroke="${a}" stroke-width="14" opacity="0.55"/>`,
  ],
  [
    /candle/i,
    (f, a) =>
      `<rect x="300" y="360" width="200" height="280" rx="22" fill="${f}"/><path d="M400 360 L400 320" stroke="${a}" stroke-width="10"/><path d="M400 250 Q430 300 400 320 Q370 300 400 250 Z" fill="#f2b542"/>`,
  ],
  [
    /vase/i,
    (f, a) =>
      `<path d="M340 240 L460 240 L450 300 Q560 380 520 560 Q500 640 400 640 Q300 640 280 560 Q240 380 350 300 Z" fill="${f}"/><path d="M330 400 H470 M310 470 H490" stroke="${a}" stroke-width="10" opacity="0.4"/>`,
  ],
  [
    /clock/i,
    (f, a) =>
      `<circle cx="400" cy="430" r="200" fill="${f}"/><circle cx="400" cy="430" r="170" fill="#fbf7f0"/><path d="M400 430 L400 320 M400 430 L480 470" stroke="${a}" stroke-width="14" stroke-linecap="round"/>`,
  ],
];

function fallbackShape(f: string, a: string): string {
  return `<rect x="260" y="280" width="280" height="360" rx="40" fill="${f}"/><circle cx="400" cy="460" r="70" fill="${a}" opacity="0.7"/>`;
}

function shapeFor(product: SeedProduct): Shape {
  return shapes.find(([pattern]) => pattern.test(product.name))?.[1] ?? fallbackShape;
}

/** A product's picture, or undefined when the slug is not in the catalog. */
export function productImageSvg(slug: string): string | undefined {
  const product = products.find((p) => p.slug === slug);
  if (!product) return undefined;
  const palette = palettes[product.categorySlug] ?? fallbackPalette;
  const angle = hash(slug) % 60;
  const gradient = `g-${product.slug}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 800" role="img" aria-labelledby="t-${product.slug}">`,
    `<title id="t-${product.slug}">${escapeXml(product.name)}</title>`,
    `<defs><linearGradient id="${gradient}" gradientTransform="rotate(${angle} 0.5 0.5)"><stop offset="0" stop-color="${palette.from}"/><stop offset="1" stop-color="${palette.to}"/></linearGradient></defs>`,
    `<rect width="800" height="800" fill="url(#${gradient})"/>`,
    `<circle cx="${560 + (hash(`${slug}x`) % 140)}" cy="${140 + (hash(`${slug}y`) % 120)}" r="110" fill="#ffffff" opacity="0.35"/>`,
    `<ellipse cx="400" cy="650" rx="240" ry="28" fill="#000000" opacity="0.08"/>`,
    shapeFor(product)(fillFor(product, palette), palette.accent),
    `</svg>`,
  ].join("");
}

/** A category's banner: three of its products side by side on its background. */
export function categoryImageSvg(slug: string): string | undefined {
  const category = categories.find((c) => c.slug === slug);
  if (!category) return undefined;
  const palette = palettes[category.slug] ?? fallbackPalette;
  const members = products.filter((p) => p.categorySlug === slug).slice(0, 3);
  const drawings = members.map((product, i) => {
    const x = 40 + i * 380;
    return `<g transform="translate(${x} 130) scale(0.7)">${shapeFor(product)(fillFor(product, palette), palette.accent)}</g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 800" role="img" aria-labelledby="t-${category.slug}">`,
    `<title id="t-${category.slug}">${escapeXml(category.name)}</title>`,
    `<rect width="1200" height="800" fill="${palette.from}"/>`,
    `<rect y="560" width="1200" height="240" fill="${palette.to}"/>`,
    ...drawings,
    `</svg>`,
  ].join("");
}
