"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "~/lib/error-message";
import type { MapNode } from "~/lib/map-model";
import { useTRPC } from "~/trpc/react";
import { AdminTokenForm } from "./admin-token-form";
import styles from "./panels.module.css";

type Action = "stop" | "start" | "restart";
const pendingText: Record<Action, string> = { stop: "Stopping…", start: "Starting…", restart: "Restarting…" };
const doneText: Record<Action, string> = { stop: "stopped", start: "started and ready", restart: "restarted and ready" };

/** Stop / Start / Restart through the supervisor, with the pending state and a readable outcome. */
export function ProcessControls({ node, supervisorOnline }: { node: MapNode; supervisorOnline: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  // Outside local development the BFF asks for the admin token: the field appears when it does.
  const [needsToken, setNeedsToken] = useState(false);
  const options = { onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.map.get.queryKey() }) };
  const stop = useMutation(trpc.processes.stop.mutationOptions(options));
  const start = useMutation(trpc.processes.start.mutationOptions(options));
  const restart = useMutation(trpc.processes.restart.mutationOptions(options));
  const mutations = { stop, start, restart };
  const pending = (Object.keys(mutations) as Action[]).find((action) => mutations[action].isPending) ?? null;

  const name = node.processName;
  if (!name) {
    return (
      <p className={styles.hint}>
        {node.kind === "client"
          ? "The browser is not a process of ours."
          : node.kind === "database"
            ? `This database lives inside ${node.id.split("/")[0]}: stop that service to take it away.`
            : "The supervisor does not run this process, so it cannot be controlled from here."}
      </p>
    );
  }

  const run = (action: Action) => {
    setOutcome(null);
    mutations[action].mutate(
      { name },
      {
        onSuccess: () => setOutcome({ ok: true, text: `${name} ${doneText[action]}.` }),
        onError: (error) => {
          if (error.data?.code === "UNAUTHORIZED") setNeedsToken(true);
          setOutcome({ ok: false, text: errorMessage(error) });
        },
      },
    );
  };
  const running = node.status === "up" || node.status === "degraded" || node.status === "starting";
  const disabled = pending !== null || !supervisorOnline;
  return (
    <div className={styles.controls}>
      <div className={styles.buttons}>
        <button
          type="button"
          className={styles.button}
          data-tone="danger"
          disabled={disabled || !running}
          onClick={() => run("stop")}
          aria-label={`Stop ${name}`}
        >
          {pending === "stop" ? pendingText.stop : "Stop"}
        </button>
        <button
          type="button"
          className={styles.button}
          disabled={disabled || running}
          onClick={() => run("start")}
          aria-label={`Start ${name}`}
        >
          {pending === "start" ? pendingText.start : "Start"}
        </button>
        <button
          type="button"
          className={styles.button}
          disabled={disabled}
          onClick={() => run("restart")}
          aria-label={`Restart ${name}`}
        >
          {pending === "restart" ? pendingText.restart : "Restart"}
        </button>
      </div>
      {needsToken && (
        <AdminTokenForm
          onSaved={() => {
            setNeedsToken(false);
            setOutcome({ ok: true, text: "Admin token saved for this tab: try the action again." });
          }}
        />
      )}
      {!supervisorOnline && (
        <p className={styles.hint}>The supervisor is not answering, so processes cannot be controlled right now.</p>
      )}
      {outcome && (
        <p className={styles.outcome} data-ok={outcome.ok} role={outcome.ok ? "status" : "alert"}>
          {outcome.text}
        </p>
      )}
    </div>
  );
}
