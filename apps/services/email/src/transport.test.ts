import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTransportFor } from "./transport";

// A real SMTP server on loopback (nodemailer's own smtp-server package) receives what we send.
const received: Array<{ from: string; to: string[]; data: string }> = [];
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let data = "";
      stream.on("data", (chunk: Buffer) => (data += chunk.toString("utf8")));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          data,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  port = typeof address === "object" && address ? address.port : 0;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it("delivers through SMTP when SMTP_URL is set", async () => {
  const send = createTransportFor(`smtp://127.0.0.1:${port}`, "Microshop <orders@microshop.local>");
  await send({
    id: "e1",
    toEmail: "ada@example.com",
    toName: "Ada",
    subject: "Your order is confirmed",
    html: "<p>Thanks</p>",
    text: "Thanks",
  });
  expect(received).toHaveLength(1);
  expect(received[0]).toMatchObject({ from: "orders@microshop.local", to: ["ada@example.com"] });
  expect(received[0]?.data).toContain("Subject: Your order is confirmed");
  expect(received[0]?.data).toMatch(/^X-Microshop-Email-Id: e1\r?$/im);
});

it("fails loudly when the SMTP server is not there, so the outbox retries", async () => {
  const send = createTransportFor("smtp://127.0.0.1:9", "Microshop <orders@microshop.local>");
  await expect(
    send({ id: "e2", toEmail: "ada@example.com", toName: null, subject: "x", html: "x", text: "x" }),
  ).rejects.toThrow();
});

it("without SMTP_URL only the inbox receives mail", async () => {
  await expect(
    createTransportFor(undefined, "x")({ id: "e3", toEmail: "a@b.co", toName: null, subject: "x", html: "x", text: "x" }),
  ).resolves.toBeUndefined();
});
