/**
 * An HTTP proxy between one service and another that can hold a call in flight: the durability
 * tests use it to cut a saga at an exact point (the charge has left the order service and not yet
 * reached payment) instead of racing a processor's delay against a restart, which a busy machine
 * can lose. Everything else passes straight through.
 *
 * Written on `node:http` by hand: a general-purpose proxy library forwards, but has no notion of
 * holding one request until a test lets it go, and the forwarding itself is a few lines.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Answer {
  readonly status: number;
  readonly body: string;
}

export interface HeldCall {
  /** Resolves when a matching call has arrived and is being held. */
  readonly arrived: Promise<void>;
  /** Sends the held call on (its caller may be long gone) and resolves with the target's answer. */
  release(): Promise<Answer>;
}

interface Pending {
  readonly path: string;
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export class HoldingProxy {
  private armed: { procedure: string; hold: (call: Pending) => void } | undefined;
  private readonly server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const call: Pending = {
        path: incoming.url ?? "/",
        method: incoming.method ?? "GET",
        headers: incoming.headers,
        body: Buffer.concat(chunks),
      };
      const armed = this.armed;
      if (armed && call.path.includes(armed.procedure)) {
        this.armed = undefined;
        armed.hold(call);
        return;
      }
      this.forward(call)
        .then((answer) => {
          if (!outgoing.destroyed) outgoing.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
        })
        .catch(() => outgoing.destroy());
    });
  });

  private constructor(private readonly target: URL) {}

  /** A proxy on a free loopback port in front of `target` (an origin such as http://127.0.0.1:4100). */
  static async start(target: string): Promise<HoldingProxy> {
    const proxy = new HoldingProxy(new URL(target));
    await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Holds the next call whose path names `procedure` (e.g. "payments.charge"). */
  hold(procedure: string): HeldCall {
    let resolveArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (resolveArrived = resolve));
    let held: Pending | undefined;
    this.armed = {
      procedure,
      hold: (call) => {
        held = call;
        resolveArrived();
      },
    };
    return {
      arrived,
      release: async () => {
        await arrived;
        return this.forward(held!);
      },
    };
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }

  private forward(call: Pending): Promise<Answer> {
    const { host: _host, connection: _connection, ...headers } = call.headers;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        new URL(call.path, this.target),
        { method: call.method, headers: { ...headers, "content-length": String(call.body.length) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
          response.on("error", reject);
        },
      );
      outgoing.on("error", reject);
      outgoing.end(call.body);
    });
  }
}
