import { createTransport } from "nodemailer";
import type { Transport } from "./outbox";

/** Real delivery through nodemailer when SMTP_URL is set; otherwise the inbox is the only destination. */
export function createTransportFor(smtpUrl: string | undefined, from: string): Transport {
  if (!smtpUrl) return () => Promise.resolve();
  const smtp = createTransport(smtpUrl);
  return async (email) => {
    await smtp.sendMail({
      from,
      to: email.toName ? { name: email.toName, address: email.toEmail } : email.toEmail,
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers: { "X-Microshop-Email-Id": email.id },
    });
  };
}
