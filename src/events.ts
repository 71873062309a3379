/**
 * `Events`, a namespace of events, and `@emits`, which gives every instance of a class one.
 *
 * @module
 */

import { type AnyArgs, Event, type EventMap } from "./event.ts";
import { assertInstance, describe, EMITS_ATTR, EMITS_NAMES, EVENT_NAMES } from "./_internal.ts";

/** The members of an `Events` namespace besides its events. */
export interface EventsMembers<M extends EventMap> {
  /**
   * Adds an event named `name` (the original's `events += name`) and returns this namespace,
   * typed with the new event.
   */
  add<N extends string, A extends unknown[] = AnyArgs>(name: N): Events<M & { [K in N]: A }>;
}

/**
 * A namespace of events: one callable `Event` per name, as own enumerable properties.
 *
 * @typeParam M The events and their argument lists; untyped (`any[]` arguments) when omitted.
 */
export type Events<M extends EventMap = EventMap> =
  & { readonly [K in keyof M & string]: Event<M[K]> }
  & EventsMembers<M>;

/** Creates `Events` namespaces. */
export interface EventsConstructor {
  /**
   * Creates a namespace with one event per name. With an explicit event map the names are checked
   * against it; without one, each name becomes an event taking any arguments.
   */
  new <M extends EventMap>(names: readonly (keyof M & string)[]): Events<M>;
  /** Creates a namespace of untyped events, one per name. */
  new <const N extends string>(names: readonly N[]): Events<{ [K in N]: AnyArgs }>;
  /** The prototype shared by all namespaces, so `x instanceof Events` works. */
  readonly prototype: Events;
}

class EventsImpl {
  declare [EVENT_NAMES]: string[];

  constructor(names: readonly string[]) {
    if (!Array.isArray(names)) {
      throw new TypeError(
        `Cannot create Events: names must be an array of strings, received ${describe(names)}`,
      );
    }
    Object.defineProperty(this, EVENT_NAMES, { value: [] });
    for (const name of names) this.add(name);
  }

  add(name: string): this {
    if (typeof name !== "string" || name === "") {
      throw new TypeError(
        `Cannot add event: its name must be a non-empty string, received ${describe(name)}`,
      );
    }
    if (name in this) {
      const why = Object.hasOwn(this, name) ? "it is already declared" : "the name is reserved";
      throw new TypeError(`Cannot add event "${name}": ${why}`);
    }
    Object.defineProperty(this, name, { value: new Event(name), enumerable: true });
    this[EVENT_NAMES].push(name);
    return this;
  }
}

/**
 * Creates a namespace of events.
 *
 * @example Events without a decorator
 * ```ts
 * import { Events } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 * const events = new Events<{ event1: [n: number]; event2: [] }>(["event1", "event2"]);
 * let sum = 0;
 * events.event1.addListener((n) => sum += n);
 * events.event1(2);
 * events.event1(3);
 * assert.equal(sum, 5);
 * const more = events.add<"event3", [label: string]>("event3");
 * more.event3.addListener((label) => assert.equal(label, "late"));
 * more.event3("late");
 * ```
 */
export const Events: EventsConstructor = EventsImpl as unknown as EventsConstructor;
// Only `add` and `constructor` are reserved: an event may be called `toString` or `valueOf`.
Object.setPrototypeOf(EventsImpl.prototype, null);
Object.defineProperty(EventsImpl, "name", { value: "Events" });

/** A class whose instances carry an events namespace at `attr`. */
// deno-lint-ignore no-explicit-any
export type EmitterClass<Attr extends string, N extends string> = abstract new (...args: any[]) => {
  readonly [K in Attr]: Events<{ [E in N]: AnyArgs }>;
};

/**
 * Class decorator: gives every instance an `Events` namespace at `this[attr]` with one event per
 * name. The namespace is created on first access, so it is already there inside the class's own
 * constructor. Declare its type on the class with `declare readonly events: Events<{…}>` so the
 * compiler checks event names and arguments; the decorator checks that the declared names match.
 *
 * @example A producer
 * ```ts
 * import { connect, emits, type Events } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 *
 * @emits("events", ["produced"])
 * class Producer {
 *   declare readonly events: Events<{ produced: [product: string] }>;
 *   requestProduct() {
 *     this.events.produced("some product");
 *   }
 * }
 *
 * const producer = new Producer();
 * const seen: string[] = [];
 * connect(producer, "produced", (product) => seen.push(product));
 * producer.requestProduct();
 * assert.deepEqual(seen, ["some product"]);
 * ```
 */
export function emits<const Attr extends string, const N extends string>(
  attr: Attr,
  names: readonly N[],
): <C extends EmitterClass<Attr, N>>(target: C, context: ClassDecoratorContext<C>) => void {
  if (typeof attr !== "string" || attr === "") {
    throw new TypeError(
      `Cannot apply @emits: the attribute must be a non-empty string, received ${describe(attr)}`,
    );
  }
  const declared = [...names]; // a copy, so later changes to the caller's array do not leak in
  new Events(declared); // validates the names now, at class definition
  return (target, context) => {
    if (context.kind !== "class") {
      throw new TypeError(
        `Cannot apply @emits to ${context.kind} ${String(context.name)}: it decorates classes`,
      );
    }
    const proto = target.prototype as object;
    Object.defineProperty(proto, EMITS_ATTR, { value: attr });
    Object.defineProperty(proto, EMITS_NAMES, { value: declared });
    Object.defineProperty(proto, attr, {
      configurable: true,
      get(this: object) {
        assertInstance(this, attr);
        const events = new Events(declared);
        Object.defineProperty(this, attr, { value: events, enumerable: true });
        return events;
      },
    });
  };
}
