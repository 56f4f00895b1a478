"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ReactFlowProvider } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { errorMessage } from "~/lib/error-message";
import { serviceLab, toneBook, type ServiceLab } from "~/lib/lab-model";
import type { MapEdge } from "~/lib/map-model";
import { tracePath } from "~/lib/trace-path";
import { useTRPC } from "~/trpc/react";
import styles from "./dashboard.module.css";
import { Header } from "./header/header";
import { LabBar } from "./lab/lab-bar";
import { LabPanel } from "./lab/lab-panel";
import { useLabSnapshot } from "./lab/use-lab";
import { Legend } from "./legend";
import { useLiveParticles } from "./map/live-particles";
import { ServiceMap } from "./map/service-map";
import { EdgePanel } from "./panels/edge-panel";
import { NodePanel } from "./panels/node-panel";
import { TraceList } from "./traces/trace-list";
import { TraceView } from "./traces/trace-view";

const windowSeconds = 60;

type Inspecting = { kind: "node"; id: string } | { kind: "edge"; id: string } | null;
type Tab = "inspect" | "traces" | "lab";

/** The whole page: header, map with its trace drawer, and the side panel. */
export function Dashboard({ storefrontUrl }: { storefrontUrl: string }) {
  const trpc = useTRPC();
  // Whether the load generator's traffic counts on the map and moves as dots.
  const [showLoad, setShowLoad] = useState(true);
  const map = useQuery(
    trpc.map.get.queryOptions(
      { windowSeconds, includeSynthetic: showLoad },
      { refetchInterval: 1_000, placeholderData: keepPreviousData },
    ),
  );
  const lab = useLabSnapshot();
  const snapshot = lab.data?.snapshot ?? null;
  const labUnavailable = lab.data?.unavailable ?? (lab.error ? errorMessage(lab.error) : null);
  const tones = useMemo(() => toneBook(snapshot), [snapshot]);
  const liveOptions = useMemo(() => ({ showLoad, tones }), [showLoad, tones]);
  const live = useLiveParticles(liveOptions);
  const [inspecting, setInspecting] = useState<Inspecting>(null);
  const [tab, setTab] = useState<Tab>("traces");
  const [traceId, setTraceId] = useState<string | null>(null);
  // Only read on narrow screens, where the side panel is a drawer (dashboard.module.css).
  const [panelOpen, setPanelOpen] = useState(false);

  const trace = useQuery(
    trpc.traces.get.queryOptions({ traceId: traceId ?? "0".repeat(32) }, { enabled: traceId !== null, staleTime: 5_000 }),
  );
  const path = useMemo(() => (traceId && trace.data ? tracePath(trace.data.spans) : null), [traceId, trace.data]);

  const data = map.data;
  const labs = useMemo(() => {
    const out = new Map<string, ServiceLab>();
    for (const node of data?.nodes ?? []) {
      if (node.kind !== "service") continue;
      const one = serviceLab(node.id, snapshot, data?.instances ?? []);
      if (one) out.set(node.id, one);
    }
    return out;
  }, [data, snapshot]);
  const selectedNode = inspecting?.kind === "node" ? data?.nodes.find((node) => node.id === inspecting.id) : undefined;
  const selectedEdge = inspecting?.kind === "edge" ? data?.edges.find((edge) => edge.id === inspecting.id) : undefined;

  const selectNode = useCallback((id: string) => {
    setInspecting({ kind: "node", id });
    setTab("inspect");
    setPanelOpen(true);
  }, []);
  const selectEdge = useCallback((edge: MapEdge) => {
    setInspecting({ kind: "edge", id: edge.id });
    setTab("inspect");
    setPanelOpen(true);
  }, []);
  useEffect(() => {
    if (!panelOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setPanelOpen(false);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [panelOpen]);
  const clear = useCallback(() => setInspecting(null), []);
  const openLab = useCallback(() => {
    setTab("lab");
    setPanelOpen(true);
  }, []);
  const openTrace = useCallback((id: string) => setTraceId(id), []);

  return (
    <div className={styles.shell}>
      <Header
        totals={data?.totals ?? null}
        mode={data?.mode ?? null}
        modeKnown={data?.modeKnown ?? true}
        windowSeconds={windowSeconds}
        live={live}
        storefrontUrl={storefrontUrl}
      />
      <div className={styles.body}>
        <main className={styles.stage} data-trace-open={traceId !== null || undefined}>
          <div className={styles.mapBox}>
            {data ? (
              <ReactFlowProvider>
                <ServiceMap
                  nodes={data.nodes}
                  edges={data.edges}
                  selection={{
                    nodeId: inspecting?.kind === "node" ? inspecting.id : null,
                    edgeId: inspecting?.kind === "edge" ? inspecting.id : null,
                  }}
                  path={path}
                  labs={labs}
                  labOnline={snapshot !== null}
                  faults={snapshot?.faults ?? []}
                  onSelectNode={selectNode}
                  onSelectEdge={selectEdge}
                  onClear={clear}
                />
              </ReactFlowProvider>
            ) : (
              <p className={styles.placeholder}>{map.error ? errorMessage(map.error) : "Loading the map…"}</p>
            )}
            <div className={styles.banners}>
              {data?.sources.telemetry && <p className={styles.banner}>No traffic data: {data.sources.telemetry}</p>}
              {data?.sources.supervisor && (
                <p className={styles.banner} data-tone="info">
                  Status unknown: {data.sources.supervisor}
                </p>
              )}
              {map.error && data && <p className={styles.banner}>{errorMessage(map.error)}</p>}
            </div>
            <Legend versions={tones.size > 0} />
            <LabBar
              snapshot={snapshot}
              unavailable={labUnavailable}
              showLoad={showLoad}
              onShowLoad={setShowLoad}
              onOpenLab={openLab}
            />
            <button
              type="button"
              className={styles.panelToggle}
              aria-expanded={panelOpen}
              aria-controls="side-panel"
              onClick={() => setPanelOpen(true)}
            >
              Open the side panel
            </button>
          </div>
          {traceId && (
            <div className={styles.drawer}>
              <TraceView key={traceId} traceId={traceId} onClose={() => setTraceId(null)} />
            </div>
          )}
        </main>

        <aside
          id="side-panel"
          className={styles.side}
          data-open={panelOpen || undefined}
          data-testid="side-panel"
          aria-label="Side panel"
        >
          <div className={styles.tabBar}>
            <div className={styles.tabs} role="tablist" aria-label="Side panel">
              <button
                type="button"
                role="tab"
                aria-selected={tab === "traces"}
                className={styles.tab}
                onClick={() => setTab("traces")}
              >
                Traces
              </button>
              <button
                type="button"
                role="tab"
                aria-selected={tab === "inspect"}
                className={styles.tab}
                onClick={() => setTab("inspect")}
              >
                Inspect
                {selectedNode ? `: ${selectedNode.id}` : selectedEdge ? `: ${selectedEdge.source} → ${selectedEdge.target}` : ""}
              </button>
              <button type="button" role="tab" aria-selected={tab === "lab"} className={styles.tab} onClick={() => setTab("lab")}>
                Lab
              </button>
            </div>
            <button
              type="button"
              className={styles.panelClose}
              aria-label="Close the side panel"
              onClick={() => setPanelOpen(false)}
            >
              ×
            </button>
          </div>
          <div className={styles.sideBody} role="tabpanel">
            {tab === "traces" ? (
              <TraceList selectedTraceId={traceId} onOpenTrace={openTrace} />
            ) : tab === "lab" ? (
              <LabPanel snapshot={snapshot} unavailable={labUnavailable} />
            ) : selectedNode && data ? (
              <NodePanel
                key={selectedNode.id}
                node={selectedNode}
                windowSeconds={windowSeconds}
                supervisorOnline={data.sources.supervisor === null}
                lab={labs.get(selectedNode.id) ?? null}
                snapshot={snapshot}
                labUnavailable={labUnavailable}
                includeSynthetic={showLoad}
                onOpenTrace={openTrace}
                onClose={clear}
              />
            ) : selectedEdge ? (
              <EdgePanel
                key={selectedEdge.id}
                edge={selectedEdge}
                windowSeconds={windowSeconds}
                snapshot={snapshot}
                labUnavailable={labUnavailable}
                includeSynthetic={showLoad}
                onOpenTrace={openTrace}
                onClose={clear}
              />
            ) : (
              <div className={styles.hint}>
                <svg width="46" height="46" viewBox="0 0 46 46" aria-hidden>
                  <rect x="3" y="15" width="16" height="16" rx="4" fill="none" stroke="#4d6396" strokeWidth="2" />
                  <rect x="27" y="5" width="16" height="14" rx="4" fill="none" stroke="#5fd4c4" strokeWidth="2" />
                  <rect x="27" y="27" width="16" height="14" rx="4" fill="none" stroke="#c792ea" strokeWidth="2" />
                  <path d="M19 23 27 12M19 23l8 11" stroke="#4d6396" strokeWidth="2" />
                </svg>
                <p>Click a service to see what it does, its operations and errors, and to stop or restart it.</p>
                <p>Click an edge to see the requests that crossed it.</p>
              </div>
            )}
          </div>
        </aside>
      </div>
    </div>
  );
}
