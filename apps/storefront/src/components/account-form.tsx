"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { errorMessage, fieldErrors } from "~/lib/error-message";
import { useTRPC } from "~/trpc/react";
import { Field } from "./field";
import styles from "./form.module.css";

/** Only same-site paths: `?next=https://evil.example` must not become a redirect. */
function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

/** Sign-in and sign-up: on success the session cookie is set, the cart merged, and we go on. */
export function AccountForm({ mode }: { readonly mode: "sign-in" | "sign-up" }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const next = safeNext(useSearchParams().get("next"));
  const [values, setValues] = useState({ name: "", email: "", password: "" });
  const onSuccess = async () => {
    await queryClient.invalidateQueries();
    router.push(next);
  };
  const signIn = useMutation(trpc.account.signIn.mutationOptions({ onSuccess }));
  const signUp = useMutation(trpc.account.signUp.mutationOptions({ onSuccess }));
  const mutation = mode === "sign-in" ? signIn : signUp;
  const errors = fieldErrors(mutation.error);
  const set = (name: keyof typeof values) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setValues({ ...values, [name]: event.target.value });

  return (
    <form
      className={styles.form}
      noValidate={false}
      onSubmit={(event) => {
        event.preventDefault();
        if (mode === "sign-in") signIn.mutate({ email: values.email, password: values.password });
        else signUp.mutate(values);
      }}
    >
      {mutation.isError ? (
        <p role="alert" className={styles.alert}>
          {errorMessage(mutation.error)}
        </p>
      ) : null}
      {mode === "sign-up" ? (
        <Field
          name="name"
          label="Your name"
          autoComplete="name"
          required
          maxLength={100}
          value={values.name}
          onChange={set("name")}
          error={errors.name}
        />
      ) : null}
      <Field
        name="email"
        type="email"
        label="Email"
        autoComplete="email"
        required
        maxLength={254}
        value={values.email}
        onChange={set("email")}
        error={errors.email}
      />
      <Field
        name="password"
        type="password"
        label="Password"
        autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
        required
        minLength={mode === "sign-up" ? 10 : 1}
        maxLength={200}
        value={values.password}
        onChange={set("password")}
        error={errors.password}
        {...(mode === "sign-up" ? { hint: "At least 10 characters." } : {})}
      />
      <button type="submit" className={styles.button} disabled={mutation.isPending}>
        {mode === "sign-in"
          ? mutation.isPending
            ? "Signing in…"
            : "Sign in"
          : mutation.isPending
            ? "Creating account…"
            : "Create account"}
      </button>
      <p className={styles.hint}>
        {mode === "sign-in" ? (
          <>
            New here? <Link href={`/sign-up?next=${encodeURIComponent(next)}`}>Create an account</Link>
          </>
        ) : (
          <>
            Already have an account? <Link href={`/sign-in?next=${encodeURIComponent(next)}`}>Sign in</Link>
          </>
        )}
      </p>
    </form>
  );
}
