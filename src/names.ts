/**
 * How event names map to slot names: `request_product` and `requestProduct` both go to
 * `onRequestProduct`, at run time and in the types.
 *
 * @module
 */

/** `snake_case` to `camelCase`: `request_product` → `requestProduct`. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/**
 * The slot an event goes to when connected blind: `request_product` → `onRequestProduct`.
 *
 * @example
 * ```ts
 * import type { SlotNameOf } from "@mreventloop/core";
 * const slot: SlotNameOf<"request_product"> = "onRequestProduct";
 * void slot;
 * ```
 */
export type SlotNameOf<E extends string> = `on${Capitalize<CamelCase<E>>}`;

/** The slot an event goes to when connected blind: `request_product` → `onRequestProduct`. */
export function slotNameOf(eventName: string): string {
  let slot = "on";
  for (const part of eventName.split("_")) {
    if (part !== "") slot += part[0].toUpperCase() + part.slice(1);
  }
  return slot;
}

/**
 * The events a slot forwards, most likely first: `onProcessedResult` → `processed_result`,
 * `processedResult`. Returns an empty list for a name that does not start with `on` + capital.
 */
export function eventNamesOf(slotName: string): string[] {
  if (!/^on[A-Z]/.test(slotName)) return [];
  const camel = slotName[2].toLowerCase() + slotName.slice(3);
  const snake = camel.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
  return snake === camel ? [camel] : [snake, camel];
}
