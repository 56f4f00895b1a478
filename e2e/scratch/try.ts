import { createTRPCClient, httpLink } from "@trpc/client";
import type { ControlPlaneRouter } from "@microshop/lab/router";
import { deriveControlToken } from "@microshop/service-auth";
import { transformer } from "@microshop/transformer";
const plane = createTRPCClient<ControlPlaneRouter>({ links: [httpLink({ url: "http://127.0.0.1:24000/control/trpc", transformer, headers: { authorization: `Bearer ${deriveControlToken("microshop-e2e-only-service-token-secret-0123456789")}` } })] });
const step = process.argv[2];
const t0 = Date.now();
const show = (x: unknown) => console.log(JSON.stringify(x, null, 1).slice(0, 3000));
if (step === "snap") { const s = await plane.snapshot.query(); show({ services: s.services.map((v) => [v.service, v.instances.map((i) => `${i.name}@${i.version}:${i.state}:${i.weight}`)]), load: s.load.running, recent: s.load.recent, total: s.load.total, errors: s.load.recentErrors, faults: s.faults, deployments: s.deployments.map(d => [d.service, d.state, d.calls, d.canary, d.reason]) }); }
if (step === "load") show(await plane.startLoad.mutate({ rate: Number(process.argv[3] ?? 5), mix: { browse: 40, search: 20, cart: 20, signUp: 5, checkout: 15 } }));
if (step === "stopload") show((await plane.stopLoad.mutate()).total);
if (step === "scale") show(await plane.scale.mutate({ service: process.argv[3] as "product", replicas: Number(process.argv[4]) }));
if (step === "deploy") show(await plane.deploy.mutate({ service: process.argv[3] as "cart", flavour: (process.argv[4] ?? "good") as "good", strategy: process.argv[5] === "canary" ? { kind: "canary", weight: 50 } : { kind: "rolling" } }));
if (step === "rollback") show(await plane.rollBack.mutate({ service: process.argv[3] as "cart" }));
if (step === "fault") show(await plane.setFault.mutate({ target: { kind: "edge", caller: "order", callee: "payment" }, latencyMs: 300 }));
if (step === "clear") show(await plane.clearFaults.mutate());
console.log(`${step} took ${Date.now() - t0} ms`);
