/**
 * `connect` and `disconnect`: wire events to functions and to other objects' slots.
 *
 * @module
 */

import { Event } from "./event.ts";
import type { Events } from "./events.ts";
import { type SlotNameOf, slotNameOf } from "./names.ts";
import { classNameOf, describe, eventNamesOf } from "./_internal.ts";
import { eventsOf, type Verb } from "./_emitter.ts";
import { listenerFor } from "./_slots.ts";

// deno-lint-ignore no-explicit-any
type AnyFunction = (...args: any[]) => unknown;

/**
 * The event map of an emitter: an `Events` namespace, or an object with one (declared with
 * `@emits` and `declare readonly events: Events<{…}>`, or held in a property).
 */
export type EventMapOf<E> = E extends Events<infer M> ? M
  : { [K in keyof E]: E[K] extends Events<infer M> ? M : never }[keyof E];

/** The names of the events of an emitter. */
export type EventNameOf<E> = keyof EventMapOf<E> & string;

/** The argument list of event `K` of emitter `E`. */
// A plain indexed access, not a conditional type, so that it still resolves for a class's
// polymorphic `this` (a constructor's `connect(this, "event", fn)`).
export type EventArgsOf<E, K extends keyof EventMapOf<E>> = EventMapOf<E>[K];

/**
 * A receiver whose method `S` can take the arguments of event `K` of `E`. The check is on the
 * receiver's type, not on `keyof` it, so that it resolves for a class's polymorphic `this` too.
 */
export type SlotReceiverOf<E, K extends EventNameOf<E>, S extends string> = {
  readonly [P in S]: (...args: EventArgsOf<E, K>) => unknown;
};

/** A receiver whose slots `Ss` can take the arguments of the events `Ks` at the same positions. */
export type ListReceiverOf<
  E,
  Ks extends readonly EventNameOf<E>[],
  Ss extends { readonly [I in keyof Ks]: string },
> = {
  readonly [I in keyof Ks & `${number}` as Ss[I] & string]: (
    ...args: EventArgsOf<E, Ks[I]>
  ) => unknown;
};

/** A receiver with the `on…` slot of each of the events `K` of `E`, e.g. `onRequestProduct`. */
export type BlindReceiverOf<E, K extends string> = {
  [N in K as SlotNameOf<N>]: (...args: EventArgsOf<E, N>) => unknown;
};

/** A receiver for a whole-object connect: whichever `on…` slots it has must fit their events. */
export type ReceiverOf<E> = Partial<BlindReceiverOf<E, EventNameOf<E>>>;

/**
 * What `connect` returns: the connections it made, undone by `disconnect()` or at the end of a
 * `using` scope.
 *
 * @example Connect for a scope
 * ```ts
 * import { connect, Events } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 * const events = new Events<{ tick: [n: number] }>(["tick"]);
 * const seen: number[] = [];
 * {
 *   using _ = connect(events, "tick", (n) => seen.push(n));
 *   events.tick(1);
 * }
 * events.tick(2);
 * assert.deepEqual(seen, [1]);
 * ```
 */
export class Connection implements Disposable {
  #links: [Event, AnyFunction][];

  /** @internal Made by `connect`. */
  constructor(links: [Event, AnyFunction][]) {
    this.#links = links;
  }

  /** How many event–listener links this connection holds. */
  get size(): number {
    return this.#links.length;
  }

  /** Removes every link this connection made; calling it again does nothing. */
  disconnect(): void {
    for (const [event, listener] of this.#links) event.removeListener(listener);
    this.#links = [];
  }

  /** Disconnects, at the end of a `using` scope. */
  [Symbol.dispose](): void {
    this.disconnect();
  }
}

/**
 * Connects events to listeners and returns the `Connection`. Forms, as in the original:
 *
 * - `connect(event, fn)` and `connect(emitter, "event", fn)`;
 * - `connect(emitter, "event", receiver, "slot")` — the receiver is any object with that method;
 * - `connect(emitter, "event", receiver)` — blind: `request_product` or `requestProduct` goes to
 *   `receiver.onRequestProduct`;
 * - `connect(emitter, ["e1", "e2"], receiver, ["s1", "s2"])` and `connect(emitter, ["e1", "e2"], receiver)`;
 * - `connect(emitter, receiver)` — every event of the emitter to the receiver's matching `on…`
 *   method, where it has one.
 *
 * A `@slot` of an object with an event loop is queued on that loop on every emission; other
 * methods are called at once, bound to their receiver.
 *
 * @throws {TypeError} at once, naming the emitter's class and the event, for an unknown event, a
 * missing slot, a listener that is not a function, lists of different lengths, or a whole-object
 * connect that matches no slot.
 *
 * @example Every form
 * ```ts
 * import { connect, emits, type Events } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 *
 * @emits("events", ["request_product", "produced"])
 * class Shop {
 *   declare readonly events: Events<{ request_product: [id: number]; produced: [name: string] }>;
 * }
 *
 * const log: string[] = [];
 * const receiver = {
 *   onRequestProduct: (id: number) => log.push(`request ${id}`),
 *   onProduced: (name: string) => log.push(`produced ${name}`),
 *   record: (name: string) => log.push(`record ${name}`),
 * };
 *
 * const shop = new Shop();
 * connect(shop.events.produced, (name) => log.push(`fn ${name}`));
 * connect(shop, "produced", receiver, "record");
 * connect(shop, "request_product", receiver);
 * connect(shop, ["produced"], receiver, ["record"]);
 * connect(shop, receiver);
 * shop.events.request_product(7);
 * shop.events.produced("cake");
 * assert.deepEqual(log, [
 *   "request 7", "request 7",
 *   "fn cake", "record cake", "record cake", "produced cake",
 * ]);
 * ```
 */
export function connect<A extends unknown[]>(
  event: Event<A>,
  listener: (...args: A) => unknown,
): Connection;
/** Connects event `event` of `emitter` to `listener`. */
export function connect<E extends object, K extends EventNameOf<E>>(
  emitter: E,
  event: K,
  listener: (...args: EventArgsOf<E, K>) => unknown,
): Connection;
/** Connects event `event` of `emitter` to `receiver[slot]`, called on `receiver`. */
export function connect<
  E extends object,
  K extends EventNameOf<E>,
  S extends string,
  R extends SlotReceiverOf<E, K, S>,
>(emitter: E, event: K, receiver: R, slot: S): Connection;
/** Connects event `event` of `emitter` blind, to the receiver's `on…` slot of the same name. */
export function connect<E extends object, K extends EventNameOf<E>>(
  emitter: E,
  event: K,
  receiver: BlindReceiverOf<E, K>,
): Connection;
/** Connects each event of the list to the slot at the same position of the other list. */
export function connect<
  E extends object,
  const Ks extends readonly EventNameOf<E>[],
  const Ss extends { readonly [I in keyof Ks]: string },
  R extends ListReceiverOf<E, Ks, Ss>,
>(emitter: E, events: Ks, receiver: R, slots: Ss): Connection;
/** Connects each event of the list blind, to the receiver's `on…` slot of the same name. */
export function connect<E extends object, const Ks extends readonly EventNameOf<E>[]>(
  emitter: E,
  events: Ks,
  receiver: BlindReceiverOf<E, Ks[number]>,
): Connection;
/** Connects every event of `emitter` to the receiver's matching `on…` slot, where it has one. */
export function connect<E extends object>(emitter: E, receiver: ReceiverOf<E>): Connection;
/**
 * Connects every event of `emitter` to the receiver's matching `on…` slot, where it has one.
 * Inside a class, TypeScript sees `this` as generic and cannot resolve `ReceiverOf<this>`, so a
 * constructor's `connect(this, other)` takes this looser form; the run-time checks still apply.
 */
export function connect(emitter: object & { addListener?: never }, receiver: object): Connection;
export function connect(...args: unknown[]): Connection {
  return new Connection(
    resolve("connect", args, true).map(([event, listener]) => {
      event.addListener(listener);
      return [event, listener];
    }),
  );
}

/**
 * Undoes `connect`. Takes every form `connect` takes, plus `disconnect(event)` (every listener of
 * the event), `disconnect(emitter, "event")` (every listener of that event) and
 * `disconnect(emitter)` (every listener of every event). Disconnecting what is not connected does
 * nothing; naming an event or slot that does not exist throws, as in `connect`.
 *
 * @example Disconnect an event's listeners
 * ```ts
 * import { connect, disconnect, Events } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 * const events = new Events<{ produced: [product: string] }>(["produced"]);
 * const seen: string[] = [];
 * connect(events, "produced", (p) => seen.push(p));
 * disconnect(events, "produced");
 * events.produced("lost");
 * assert.deepEqual(seen, []);
 * ```
 */
export function disconnect(event: Event): void;
/** Disconnects `listener` from `event`. */
export function disconnect<A extends unknown[]>(
  event: Event<A>,
  listener: (...args: A) => unknown,
): void;
/** Disconnects every listener of every event of `emitter`. */
export function disconnect<E extends object>(emitter: E): void;
/** Disconnects every listener of event `event` of `emitter`. */
export function disconnect<E extends object>(emitter: E, event: EventNameOf<E>): void;
/** Disconnects `listener` from event `event` of `emitter`. */
export function disconnect<E extends object, K extends EventNameOf<E>>(
  emitter: E,
  event: K,
  listener: (...args: EventArgsOf<E, K>) => unknown,
): void;
/** Disconnects `receiver[slot]` from event `event` of `emitter`. */
export function disconnect<
  E extends object,
  K extends EventNameOf<E>,
  S extends string,
  R extends SlotReceiverOf<E, K, S>,
>(emitter: E, event: K, receiver: R, slot: S): void;
/** Disconnects the receiver's `on…` slot from event `event` of `emitter`. */
export function disconnect<E extends object, K extends EventNameOf<E>>(
  emitter: E,
  event: K,
  receiver: BlindReceiverOf<E, K>,
): void;
/** Disconnects the listed events from the listed slots. */
export function disconnect<
  E extends object,
  const Ks extends readonly EventNameOf<E>[],
  const Ss extends { readonly [I in keyof Ks]: string },
  R extends ListReceiverOf<E, Ks, Ss>,
>(emitter: E, events: Ks, receiver: R, slots: Ss): void;
/** Disconnects each listed event blind, from the receiver's `on…` slot of the same name. */
export function disconnect<E extends object, const Ks extends readonly EventNameOf<E>[]>(
  emitter: E,
  events: Ks,
  receiver: BlindReceiverOf<E, Ks[number]>,
): void;
/** Disconnects every event of `emitter` from the receiver's matching `on…` slot. */
export function disconnect(emitter: object & { addListener?: never }, receiver: object): void;
export function disconnect(...args: unknown[]): void {
  if (args.length === 1) {
    const [target] = args;
    if (target instanceof Event) return target.removeAllListeners();
    const events = eventsOf(target, "disconnect");
    for (const name of eventNamesOf(events)) {
      eventNamed(events, name, target, "disconnect").removeAllListeners();
    }
    return;
  }
  if (args.length === 2 && typeof args[1] === "string") {
    const events = eventsOf(args[0], "disconnect");
    return eventNamed(events, args[1], args[0], "disconnect").removeAllListeners();
  }
  for (const [event, listener] of resolve("disconnect", args, false)) {
    event.removeListener(listener);
  }
}

type Link = [Event, AnyFunction];

/** Turns any form's arguments into event–listener links, or throws naming what was wrong. */
function resolve(verb: Verb, args: unknown[], connecting: boolean): Link[] {
  const [a, b, c, d] = args;
  if (args.length === 2 && a instanceof Event) {
    if (typeof b !== "function") {
      throw new TypeError(
        `Cannot ${verb} event "${a.name}": the listener must be a function, received ${
          describe(b)
        }`,
      );
    }
    return [[a, b as AnyFunction]];
  }
  const events = eventsOf(a, verb);
  const emitter = a as object;
  if (args.length === 2) {
    return wholeObject(verb, events, emitter, b, connecting);
  }
  if (args.length === 3 && typeof b === "string") {
    const event = eventNamed(events, b, emitter, verb);
    if (typeof c === "function") return [[event, c as AnyFunction]];
    return [[event, slotListener(verb, event, emitter, c, slotNameOf(b), connecting)]];
  }
  if (args.length === 4 && typeof b === "string") {
    const event = eventNamed(events, b, emitter, verb);
    if (typeof d !== "string") {
      throw new TypeError(
        `Cannot ${verb} ${whereOf(emitter, b)}: the slot name must be a string, received ${
          describe(d)
        }`,
      );
    }
    return [[event, slotListener(verb, event, emitter, c, d, connecting)]];
  }
  if ((args.length === 3 || args.length === 4) && Array.isArray(b)) {
    const slots = args.length === 4 ? d : undefined;
    if (slots !== undefined && !Array.isArray(slots)) {
      throw new TypeError(
        `Cannot ${verb} ${
          classNameOf(emitter)
        }: with a list of events the slots must be a list too, received ${describe(slots)}`,
      );
    }
    if (slots !== undefined && slots.length !== b.length) {
      throw new TypeError(
        `Cannot ${verb} ${classNameOf(emitter)}: ${b.length} events [${
          b.join(", ")
        }] but ${slots.length} slots [${slots.join(", ")}]; the lists must have the same length`,
      );
    }
    return b.map((name, i) => {
      if (typeof name !== "string") {
        throw new TypeError(
          `Cannot ${verb} ${classNameOf(emitter)}: event names must be strings, received ${
            describe(name)
          }`,
        );
      }
      const event = eventNamed(events, name, emitter, verb);
      const slot = slots === undefined ? slotNameOf(name) : slots[i];
      if (typeof slot !== "string") {
        throw new TypeError(
          `Cannot ${verb} ${whereOf(emitter, name)}: the slot name must be a string, received ${
            describe(slot)
          }`,
        );
      }
      return [event, slotListener(verb, event, emitter, c, slot, connecting)];
    });
  }
  throw new TypeError(
    `Cannot ${verb} ${classNameOf(emitter)}: unsupported arguments (${
      args.map(describe).join(", ")
    })`,
  );
}

function wholeObject(
  verb: Verb,
  events: Events,
  emitter: object,
  receiver: unknown,
  connecting: boolean,
): Link[] {
  if (typeof receiver === "function") {
    throw new TypeError(
      `Cannot ${verb} ${classNameOf(emitter)} to ${
        describe(receiver)
      }: to connect a function, name the event: ${verb}(emitter, "event", fn)`,
    );
  }
  assertReceiver(verb, emitter, undefined, receiver);
  const links: Link[] = [];
  const names = eventNamesOf(events);
  for (const name of names) {
    const slot = slotNameOf(name);
    if (typeof (receiver as Record<string, unknown>)[slot] !== "function") continue;
    links.push([
      events[name],
      slotListener(verb, events[name], emitter, receiver, slot, connecting),
    ]);
  }
  if (links.length === 0 && connecting) {
    throw new TypeError(
      `Cannot connect ${classNameOf(emitter)} to ${
        classNameOf(receiver as object)
      }: it has none of the slots ${
        names.map(slotNameOf).join(", ") || "(the emitter declares no events)"
      }`,
    );
  }
  return links;
}

function eventNamed(events: Events, name: string, emitter: unknown, verb: Verb): Event {
  const event = Object.hasOwn(events, name) ? (events as Record<string, unknown>)[name] : undefined;
  if (event instanceof Event) return event;
  const known = eventNamesOf(events);
  throw new TypeError(
    `Cannot ${verb} ${whereOf(emitter as object, name)}: ${
      classNameOf(emitter as object)
    } has no event "${name}" (its events: ${known.join(", ") || "none"})`,
  );
}

function whereOf(emitter: object, eventName: string): string {
  return `${classNameOf(emitter)}.${eventName}`;
}

function assertReceiver(
  verb: Verb,
  emitter: object,
  eventName: string | undefined,
  receiver: unknown,
): void {
  if (receiver === null || (typeof receiver !== "object" && typeof receiver !== "function")) {
    const where = eventName === undefined ? classNameOf(emitter) : whereOf(emitter, eventName);
    throw new TypeError(
      `Cannot ${verb} ${where}: the receiver must be an object with slots, received ${
        describe(receiver)
      }`,
    );
  }
}

/** Listeners made for (receiver, slot), so that disconnect finds the one connect added. */
const listeners = new WeakMap<object, Map<string, { fn: AnyFunction; listener: AnyFunction }>>();

function slotListener(
  verb: Verb,
  event: Event,
  emitter: object,
  receiver: unknown,
  slotName: string,
  connecting: boolean,
): AnyFunction {
  assertReceiver(verb, emitter, event.name, receiver);
  const fn = (receiver as Record<string, unknown>)[slotName];
  if (typeof fn !== "function") {
    const owner = classNameOf(receiver as object);
    throw new TypeError(
      `Cannot ${verb} ${whereOf(emitter, event.name)}: ${owner} has no slot "${slotName}"${
        fn === undefined ? "" : ` (${owner}.${slotName} is ${describe(fn)})`
      }`,
    );
  }
  let bySlot = listeners.get(receiver as object);
  const known = bySlot?.get(slotName);
  if (known !== undefined && known.fn === fn) return known.listener;
  if (!connecting) return fn as AnyFunction; // never connected: removing it is a no-op
  const listener = listenerFor(receiver as object, fn as AnyFunction);
  if (bySlot === undefined) listeners.set(receiver as object, bySlot = new Map());
  bySlot.set(slotName, { fn: fn as AnyFunction, listener });
  return listener;
}
