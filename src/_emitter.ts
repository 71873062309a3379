/**
 * How `connect`, `disconnect` and `@forwards` find an emitter's events.
 *
 * @module
 */

import { Events } from "./events.ts";
import { classNameOf, describe, EMITS_ATTR } from "./_internal.ts";

/** What was being attempted, for error messages. */
export type Verb = "connect" | "disconnect" | "forward";

/** The `Events` namespace of an emitter. */
export function eventsOf(emitter: unknown, verb: Verb): Events {
  if (emitter instanceof Events) return emitter;
  if (emitter === null || (typeof emitter !== "object" && typeof emitter !== "function")) {
    throw new TypeError(
      `Cannot ${verb}: the emitter must be an object with events, received ${describe(emitter)}`,
    );
  }
  const attr = (emitter as { [EMITS_ATTR]?: string })[EMITS_ATTR];
  if (attr !== undefined) {
    const declared = (emitter as Record<string, unknown>)[attr];
    if (declared instanceof Events) return declared;
    throw new TypeError(
      `Cannot ${verb} ${classNameOf(emitter)}: its @emits attribute "${attr}" holds ${
        describe(declared)
      }, not Events (declare it with \`declare readonly ${attr}: Events<…>\`, not a class field)`,
    );
  }
  const found = Object.keys(emitter).filter((key) =>
    (emitter as Record<string, unknown>)[key] instanceof Events
  );
  if (found.length === 1) return (emitter as Record<string, Events>)[found[0]];
  throw new TypeError(
    found.length === 0
      ? `Cannot ${verb} ${
        classNameOf(emitter)
      }: it emits no events (decorate its class with @emits, or hold an Events in a property)`
      : `Cannot ${verb} ${classNameOf(emitter)}: it holds several Events (${
        found.join(", ")
      }); use @emits to say which it emits`,
  );
}
