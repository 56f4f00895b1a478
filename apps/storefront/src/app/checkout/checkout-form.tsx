"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { Field } from "~/components/field";
import styles from "~/components/form.module.css";
import { PageHeading } from "~/components/page-heading";
import { errorMessage, fieldErrors } from "~/lib/error-message";
import { formatPrice } from "~/lib/format-price";
import { useTRPC } from "~/trpc/react";
import layout from "./checkout.module.css";
import { isOutcomeUnknown, orderProgress } from "./outcome";

const emptyForm = {
  name: "",
  line1: "",
  line2: "",
  city: "",
  postalCode: "",
  country: "US",
  cardNumber: "",
  expMonth: "",
  expYear: "",
  cvc: "",
  holderName: "",
};
type FormValues = typeof emptyForm;

const notices = {
  checking:
    "We're checking your payment. The answer to your order got lost on its way, so this page is following it and moves on by itself once it is settled. Pressing Pay again is safe: you will never be charged twice.",
  notPlaced: "Your order wasn't placed, and nothing was charged. Please press Pay to try again.",
} as const;

/** How often a followed order is looked up while it settles. */
const followEveryMs = 1_000;

export function CheckoutForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const me = useQuery(trpc.account.me.queryOptions());
  const cart = useQuery(trpc.cart.get.queryOptions());
  // One key per attempt, kept until the shopper has seen how it ended (see ./outcome.ts): a double
  // click or a retry after a lost answer finds the same order.
  const [checkoutKey, setCheckoutKey] = useState(() => crypto.randomUUID());
  // Set when Pay got no definite answer: the page then follows the order this key made.
  const [following, setFollowing] = useState(false);
  // What the shopper typed stays in this state whatever the server answers.
  const [values, setValues] = useState<FormValues>(emptyForm);

  const showOrder = useCallback(
    async (orderId: string) => {
      await queryClient.invalidateQueries();
      router.push(`/orders/${orderId}?placed=1`);
    },
    [queryClient, router],
  );
  const followed = useQuery(
    trpc.checkout.byKey.queryOptions(
      { checkoutKey },
      {
        enabled: following,
        staleTime: 0,
        // While the order service is away the lookup fails; the next one is a second away anyway.
        retry: false,
        refetchInterval: (query) =>
          query.state.data === null || (query.state.data && orderProgress(query.state.data) !== "settling")
            ? false
            : followEveryMs,
      },
    ),
  );
  const complete = useMutation(trpc.checkout.complete.mutationOptions());
  const place = useMutation(
    trpc.checkout.place.mutationOptions({
      onSuccess: async (order) => {
        if (orderProgress(order) === "paid") await showOrder(order.id);
        // A slow card: the order exists and settles on its own; follow it here.
        else setFollowing(true);
      },
      onError: (error) => {
        if (isOutcomeUnknown(error)) setFollowing(true);
        // A definite answer ends this attempt; the next submit is a new one.
        else setCheckoutKey(crypto.randomUUID());
      },
    }),
  );

  const followedOrder = following ? followed.data : undefined;
  const followedProgress = followedOrder ? orderProgress(followedOrder) : undefined;
  // Paid while followed: finish it as `place` would have (the cart is cleared), then show it; the
  // order is paid whether or not the cart could be cleared just now.
  const paidOrderId = followedProgress === "paid" ? followedOrder?.id : undefined;
  const completeIdle = complete.isIdle;
  const completeOrder = complete.mutate;
  useEffect(() => {
    if (paidOrderId && completeIdle) completeOrder({ checkoutKey }, { onSettled: () => void showOrder(paidOrderId) });
  }, [paidOrderId, completeIdle, completeOrder, checkoutKey, showOrder]);

  if (me.isPending || cart.isPending) return <PageHeading title="Checkout">Loading…</PageHeading>;
  if (!me.data?.user) {
    return (
      <PageHeading title="Checkout">
        <Link href="/sign-in?next=/checkout">Sign in</Link> or <Link href="/sign-up?next=/checkout">create an account</Link> to
        check out.
      </PageHeading>
    );
  }
  if (!cart.data || cart.data.lines.length === 0) {
    return (
      <PageHeading title="Checkout">
        Your cart is empty. <Link href="/search">Keep shopping</Link>
      </PageHeading>
    );
  }

  const server = following ? {} : fieldErrors(place.error);
  const error = (path: string) => server[path];
  // The one thing the status line says, most definite first.
  const alert =
    followedOrder === null
      ? notices.notPlaced
      : followedProgress === "failed"
        ? (followedOrder?.failure?.message ?? "Your order could not be completed. Nothing was charged.")
        : !following && place.isError
          ? errorMessage(place.error)
          : null;
  const checking = following && alert === null;
  const set = (name: keyof FormValues) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setValues({ ...values, [name]: event.target.value });
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    // A followed order that failed was a definite outcome: this Pay is a new attempt. One that
    // made no order, or is still settling, keeps its key, so this Pay finds the same order.
    const key = followedProgress === "failed" ? crypto.randomUUID() : checkoutKey;
    if (key !== checkoutKey) setCheckoutKey(key);
    if (followedOrder === null || followedProgress === "failed") {
      setFollowing(false);
      // Its last answer is not this attempt's: following again starts from a fresh look-up.
      queryClient.removeQueries({ queryKey: trpc.checkout.byKey.queryKey({ checkoutKey }) });
    }
    place.mutate({
      checkoutKey: key,
      shippingAddress: {
        name: values.name,
        line1: values.line1,
        ...(values.line2 ? { line2: values.line2 } : {}),
        city: values.city,
        postalCode: values.postalCode,
        country: values.country,
      },
      card: {
        number: values.cardNumber,
        expMonth: Number(values.expMonth),
        expYear: Number(values.expYear),
        cvc: values.cvc,
        holderName: values.holderName,
      },
    });
  };

  return (
    <>
      <PageHeading title="Checkout">Signed in as {me.data.user.email}</PageHeading>
      <div className={layout.layout}>
        <form className={styles.form} onSubmit={submit} aria-describedby="checkout-status">
          <div id="checkout-status" aria-live="assertive">
            {alert !== null ? (
              <p role="alert" className={styles.alert} data-testid="checkout-error">
                {alert}
              </p>
            ) : null}
            {checking ? (
              <p role="status" className={layout.checking} data-testid="checkout-pending">
                {notices.checking}
              </p>
            ) : null}
          </div>
          <fieldset className={styles.fieldset}>
            <legend className={styles.legend}>Shipping address</legend>
            <Field
              name="name"
              label="Full name"
              autoComplete="name"
              required
              maxLength={100}
              value={values.name}
              onChange={set("name")}
              error={error("shippingAddress")}
            />
            <Field
              name="line1"
              label="Street address"
              autoComplete="address-line1"
              required
              maxLength={200}
              value={values.line1}
              onChange={set("line1")}
            />
            <Field
              name="line2"
              label="Apartment, suite (optional)"
              autoComplete="address-line2"
              maxLength={200}
              value={values.line2}
              onChange={set("line2")}
            />
            <div className={styles.row}>
              <Field
                name="city"
                label="City"
                autoComplete="address-level2"
                required
                maxLength={100}
                value={values.city}
                onChange={set("city")}
              />
              <Field
                name="postalCode"
                label="Postal code"
                autoComplete="postal-code"
                required
                maxLength={20}
                value={values.postalCode}
                onChange={set("postalCode")}
              />
              <Field
                name="country"
                label="Country code"
                autoComplete="country"
                required
                pattern="[A-Za-z]{2}"
                title="Two letters, like US or FR"
                maxLength={2}
                value={values.country}
                onChange={set("country")}
              />
            </div>
          </fieldset>
          <fieldset className={styles.fieldset}>
            <legend className={styles.legend}>Payment</legend>
            <Field
              name="cardNumber"
              label="Card number"
              autoComplete="cc-number"
              inputMode="numeric"
              required
              pattern="[0-9 ]{12,23}"
              title="12 to 19 digits"
              value={values.cardNumber}
              onChange={set("cardNumber")}
              error={error("card")}
              hint="Test cards: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined."
            />
            <div className={styles.row}>
              <Field
                name="expMonth"
                label="Expiry month"
                inputMode="numeric"
                autoComplete="cc-exp-month"
                required
                pattern="[0-9]{1,2}"
                placeholder="MM"
                value={values.expMonth}
                onChange={set("expMonth")}
              />
              <Field
                name="expYear"
                label="Expiry year"
                inputMode="numeric"
                autoComplete="cc-exp-year"
                required
                pattern="[0-9]{4}"
                placeholder="YYYY"
                value={values.expYear}
                onChange={set("expYear")}
              />
              <Field
                name="cvc"
                label="Security code"
                inputMode="numeric"
                autoComplete="cc-csc"
                required
                pattern="[0-9]{3,4}"
                value={values.cvc}
                onChange={set("cvc")}
              />
            </div>
            <Field
              name="holderName"
              label="Name on card"
              autoComplete="cc-name"
              required
              maxLength={100}
              value={values.holderName}
              onChange={set("holderName")}
            />
          </fieldset>
          <button type="submit" className={styles.button} disabled={place.isPending || complete.isPending}>
            {place.isPending ? "Placing your order…" : `Pay ${formatPrice(cart.data.subtotalMinor, cart.data.currency)}`}
          </button>
        </form>
        <aside className={layout.summary} aria-label="Order summary">
          <h2>Your order</h2>
          <ul>
            {cart.data.lines.map((line) => (
              <li key={line.productId}>
                <span>
                  {line.product?.name ?? line.productId} × {line.quantity}
                </span>
                <span>{formatPrice(line.lineTotalMinor, line.currency)}</span>
              </li>
            ))}
          </ul>
          <p className={layout.total}>
            <span>Total</span>
            <strong>{formatPrice(cart.data.subtotalMinor, cart.data.currency)}</strong>
          </p>
        </aside>
      </div>
    </>
  );
}
