/** Small line pictures for the kinds of boxes on the map. */
export function NodeIcon({ id, kind }: { id: string; kind: string }) {
  const common = {
    width: 16,
    height: 16,
    viewBox: "0 0 16 16",
    fill: "none",
    stroke: "currentColor",
    strokeWidth: 1.4,
    "aria-hidden": true,
  } as const;
  if (kind === "client")
    return (
      <svg {...common}>
        <rect x="1.5" y="2.5" width="13" height="10" rx="1.5" />
        <path d="M1.5 5.5h13M4 4h.01M6 4h.01" />
      </svg>
    );
  if (id === "storefront")
    return (
      <svg {...common}>
        <path d="M2 6.5 3 2.5h10l1 4M2.5 6.5v7h11v-7M2 6.5c0 1.2 2.7 1.2 3 0 .3 1.2 2.7 1.2 3 0 .3 1.2 2.7 1.2 3 0 .3 1.2 3 1.2 3 0" />
        <path d="M6.5 13.5v-3h3v3" />
      </svg>
    );
  if (id === "monolith")
    return (
      <svg {...common}>
        <rect x="3" y="1.5" width="10" height="13" rx="1.5" />
        <path d="M5.5 4.5h5M5.5 7h5M5.5 9.5h5" />
      </svg>
    );
  return (
    <svg {...common}>
      <path d="M8 1.5 14 5v6l-6 3.5L2 11V5z" />
      <path d="M8 8.5V14M8 8.5 14 5M8 8.5 2 5" />
    </svg>
  );
}
