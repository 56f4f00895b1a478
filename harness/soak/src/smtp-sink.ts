/**
 * A local SMTP server on loopback that the soak points the email service at (SMTP_URL), so that
 * "a confirmation is delivered exactly once" is counted where it matters: at the receiving end of
 * SMTP, not in the email service's own bookkeeping. Built on nodemailer's `smtp-server`, the
 * library made for receiving SMTP. Each message is counted by the X-Microshop-Email-Id header the
 * email service stamps on every mail (its EmailMessage id).
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface SmtpSink {
  /** smtp://127.0.0.1:<port>, for the email service's SMTP_URL. */
  readonly url: string;
  /** Deliveries per email id; a message without the header counts under "". */
  readonly deliveries: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/** The email id of one message, from its header block (headers end at the first empty line). */
export function emailIdOf(message: string): string {
  const headers = message.split(/\r?\n\r?\n/, 1)[0] ?? "";
  return /^x-microshop-email-id:\s*(\S+)\s*$/im.exec(headers)?.[1] ?? "";
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const deliveries = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const id = emailIdOf(Buffer.concat(chunks).toString("utf8"));
        deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
