import { createTransport } from "nodemailer";
import { afterAll, beforeAll, expect, it } from "vitest";
import { emailIdOf, startSmtpSink, type SmtpSink } from "./smtp-sink";

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
}, 120_000);
afterAll(() => sink.close());

it("counts every SMTP delivery by the email id the email service stamps on it", async () => {
  const smtp = createTransport(sink.url);
  const send = (id: string) =>
    smtp.sendMail({
      from: "shop@example.com",
      to: "ada@example.com",
      subject: "Order",
      text: "x-microshop-email-id: body-is-not-a-header",
      headers: { "X-Microshop-Email-Id": id },
    });
  await send("em-1");
  await send("em-2");
  await send("em-1");
  expect(sink.deliveries.get("em-1")).toBe(2);
  expect(sink.deliveries.get("em-2")).toBe(1);
  expect(emailIdOf("Subject: x\r\n\r\nX-Microshop-Email-Id: from-the-body")).toBe("");
});
