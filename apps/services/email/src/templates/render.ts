import { z } from "zod";

export const orderConfirmationData = z.object({
  orderId: z.string().min(1).max(100),
  orderNumber: z.string().max(40).optional(),
  items: z
    .array(
      z.object({
        name: z.string().min(1).max(200),
        quantity: z.number().int().min(1).max(1000),
        unitPriceMinor: z.number().int().min(0),
      }),
    )
    .min(1)
    .max(100),
  totalMinor: z.number().int().min(0),
  currency: z.string().length(3),
  shippingAddress: z
    .object({
      name: z.string().max(100),
      line1: z.string().max(200),
      line2: z.string().max(200).optional(),
      city: z.string().max(100),
      postalCode: z.string().max(20),
      country: z.string().max(2),
    })
    .optional(),
});

export const welcomeData = z.object({ name: z.string().min(1).max(100) });

export type TemplateInput =
  | { readonly template: "order-confirmation"; readonly data: z.infer<typeof orderConfirmationData> }
  | { readonly template: "welcome"; readonly data: z.infer<typeof welcomeData> };

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function money(minor: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(minor / 100);
}

/** Which email service made a message: a deploy of a new version shows in what it sends. */
export interface Sender {
  readonly version: string;
}

/** "Sent by email service 1.1.0": the line a learner sees change when a new version rolls out. */
export function senderLine(sender: Sender): string {
  return `Sent by email service ${sender.version}`;
}

function layout(title: string, body: string, footer = ""): string {
  const sent = footer ? `<p style="color:#7a6f66;font-size:12px">${escapeHtml(footer)}</p>` : "";
  return `<!doctype html><html><body style="margin:0;background:#f7f3ee;font-family:system-ui,sans-serif;color:#2b2622"><div style="max-width:560px;margin:0 auto;padding:32px 24px"><p style="font-weight:700;color:#b4532a">Microshop</p><h1 style="font-size:22px">${escapeHtml(title)}</h1>${body}<p style="color:#7a6f66;font-size:13px;margin-top:32px">A demo store built as microservices: nothing here ships.</p>${sent}</div></body></html>`;
}

/**
 * Subject, HTML and plain text for one template; every value from the data is escaped. An order
 * confirmation's footer names the `sender`'s version when given.
 */
export function render(input: TemplateInput, sender?: Sender): RenderedEmail {
  if (input.template === "welcome") {
    const { name } = input.data;
    return {
      subject: "Welcome to Microshop",
      html: layout(`Welcome, ${name}!`, `<p>Your account is ready. Browse the shop and check out whenever you like.</p>`),
      text: `Welcome, ${name}!\n\nYour account is ready. Browse the shop and check out whenever you like.\n`,
    };
  }
  const data = input.data;
  const label = data.orderNumber ?? data.orderId;
  const rows = data.items
    .map(
      (item) =>
        `<tr><td>${escapeHtml(item.name)} × ${item.quantity}</td><td style="text-align:right">${money(item.unitPriceMinor * item.quantity, data.currency)}</td></tr>`,
    )
    .join("");
  const address = data.shippingAddress
    ? `<p>Shipping to:<br>${[
        data.shippingAddress.name,
        data.shippingAddress.line1,
        data.shippingAddress.line2,
        `${data.shippingAddress.postalCode} ${data.shippingAddress.city}`,
        data.shippingAddress.country,
      ]
        .filter((line): line is string => Boolean(line))
        .map(escapeHtml)
        .join("<br>")}</p>`
    : "";
  const textLines = data.items.map(
    (item) => `- ${item.name} x ${item.quantity}: ${money(item.unitPriceMinor * item.quantity, data.currency)}`,
  );
  const footer = sender ? senderLine(sender) : "";
  return {
    subject: `Your Microshop order ${label} is confirmed`,
    html: layout(
      `Thank you for your order`,
      `<p>Order <strong>${escapeHtml(label)}</strong> is paid and on its way to being packed.</p><table style="width:100%;border-collapse:collapse">${rows}<tr><td style="padding-top:8px"><strong>Total</strong></td><td style="text-align:right;padding-top:8px"><strong>${money(data.totalMinor, data.currency)}</strong></td></tr></table>${address}`,
      footer,
    ),
    text: `Thank you for your order\n\nOrder ${label} is paid.\n\n${textLines.join("\n")}\nTotal: ${money(data.totalMinor, data.currency)}\n${footer ? `\n${footer}\n` : ""}`,
  };
}
