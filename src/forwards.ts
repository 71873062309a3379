/**
 * `@forwards`: slots that re-emit an event.
 *
 * @module
 */

import { eventNamesOf } from "./names.ts";
import { classNameOf, describe, EMITS_NAMES } from "./_internal.ts";
import { eventsOf } from "./_emitter.ts";
import type { Event } from "./event.ts";

/**
 * Class decorator: adds a method for each slot name the class lacks, which re-emits the matching
 * event of the object at once, synchronously, never queued — the forwarder is as good as the event
 * itself. `onProcessedResult` re-emits `processed_result` or `processedResult`, whichever the class
 * emits; pass `eventNames` to choose others. A method the class already has is never overridden.
 * Apply it above `@emits`, so the names can be checked when the class is defined.
 *
 * @throws {TypeError} when the lists differ in length, or a slot matches no declared event.
 *
 * @example Forward a result down a pipeline
 * ```ts
 * import { connect, emits, type Events, forwards } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 *
 * @forwards(["onProcessedResult"])
 * @emits("events", ["processed_result"])
 * class Relay {
 *   declare readonly events: Events<{ processed_result: [result: string] }>;
 *   declare onProcessedResult: (result: string) => void;
 * }
 *
 * const relay = new Relay();
 * const seen: string[] = [];
 * connect(relay, "processed_result", (r) => seen.push(r));
 * relay.onProcessedResult("done");
 * assert.deepEqual(seen, ["done"]);
 * ```
 */
export function forwards(
  slotNames: readonly string[],
  eventNames?: readonly string[],
  // deno-lint-ignore no-explicit-any
): <C extends abstract new (...args: any[]) => object>(
  target: C,
  context: ClassDecoratorContext<C>,
) => void {
  if (!Array.isArray(slotNames) || slotNames.some((s) => typeof s !== "string")) {
    throw new TypeError(
      `Cannot apply @forwards: slotNames must be an array of strings, received ${
        describe(slotNames)
      }`,
    );
  }
  if (
    eventNames !== undefined &&
    (!Array.isArray(eventNames) || eventNames.length !== slotNames.length)
  ) {
    throw new TypeError(
      `Cannot apply @forwards: eventNames must be a list as long as slotNames (${slotNames.length}), received ${
        describe(eventNames)
      }`,
    );
  }
  const slots = [...slotNames];
  const explicit = eventNames === undefined ? undefined : [...eventNames];
  return (target, context) => {
    if (context.kind !== "class") {
      throw new TypeError(
        `Cannot apply @forwards to ${context.kind} ${String(context.name)}: it decorates classes`,
      );
    }
    const proto = target.prototype as Record<PropertyKey, unknown>;
    const className = String(context.name ?? target.name);
    slots.forEach((slotName, i) => {
      if (slotName in proto) return; // an existing method is never overridden
      const candidates = explicit === undefined ? eventNamesOf(slotName) : [explicit[i]];
      const declared = proto[EMITS_NAMES] as readonly string[] | undefined;
      const found = declared === undefined
        ? undefined
        : candidates.find((name) => declared.includes(name));
      if (declared !== undefined && found === undefined) {
        throw new TypeError(
          `Cannot forward ${className}.${slotName}: ${className} emits none of ${
            candidates.map((c) => `"${c}"`).join(", ") ||
            "(no event name derives from this slot name)"
          } (its events: ${declared.join(", ")})`,
        );
      }
      Object.defineProperty(proto, slotName, {
        configurable: true,
        writable: true,
        value: forwarder(slotName, found === undefined ? candidates : [found]),
      });
    });
  };
}

function forwarder(slotName: string, candidates: readonly string[]) {
  return function (this: object): void {
    const events = eventsOf(this, "forward") as unknown as Record<string, Event>;
    // A plain loop, not `find`: a forwarder runs on every emission it relays, so no closure.
    for (let i = 0; i < candidates.length; i++) {
      if (Object.hasOwn(events, candidates[i])) {
        Reflect.apply(events[candidates[i]], undefined, arguments);
        return;
      }
    }
    throw new TypeError(
      `Cannot forward ${classNameOf(this)}.${slotName}: it emits no event ${
        candidates.join(" or ")
      }`,
    );
  };
}
