/**
 * `Event`: one named, callable event with an ordered list of listeners.
 *
 * @module
 */

import { bakeDispatch, type Dispatch, dispatchMany, type Listener } from "./_dispatch.ts";
import { describe } from "./_internal.ts";

/** The arguments of an event declared without types: anything goes. */
// deno-lint-ignore no-explicit-any
export type AnyArgs = any[];

/** Argument lists of events, by event name: `{ produced: [product: string] }`. */
export type EventMap = { [name: string]: AnyArgs };

/**
 * One event: call it to emit, and every listener runs synchronously, in the order connected,
 * with exactly the arguments given.
 *
 * Listeners connected or removed while an emission runs take effect from the next emission:
 * the listener list is replaced on change, never mutated.
 *
 * @typeParam A The argument list the event is emitted with.
 *
 * @example Emit to two listeners
 * ```ts
 * import { Event } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 * const produced = new Event<[product: string]>("produced");
 * const seen: string[] = [];
 * produced.addListener((p) => seen.push(`first ${p}`));
 * produced.addListener((p) => seen.push(`second ${p}`));
 * produced("cake");
 * assert.deepEqual(seen, ["first cake", "second cake"]);
 * ```
 */
export interface Event<A extends unknown[] = AnyArgs> {
  /** Emits the event: calls every listener, in connection order, with these arguments. */
  (...args: A): void;
  /** The event's name, as declared. */
  readonly name: string;
  /** How many listeners are connected. */
  readonly listenerCount: number;
  /** Connects `listener`; a listener added twice is called twice. */
  addListener(listener: (...args: A) => unknown): void;
  /** Disconnects one connection of `listener`; returns whether it was connected. */
  removeListener(listener: (...args: A) => unknown): boolean;
  /** Disconnects every listener. */
  removeAllListeners(): void;
}

/** Creates events: `new Event<A>(name)`. */
export interface EventConstructor {
  /** Creates an event named `name` with no listeners. */
  new <A extends unknown[] = AnyArgs>(name: string): Event<A>;
  /** The prototype shared by all events, so `x instanceof Event` works. */
  readonly prototype: Event;
}

/** What an event knows; the callable reads it on every emit, so its shape never changes. */
class EventState {
  listeners: readonly Listener[] = [];
  d0: Dispatch | null = null;
  d1: Dispatch | null = null;
  d2: Dispatch | null = null;
  d3: Dispatch | null = null;
  d4: Dispatch | null = null;

  set(listeners: readonly Listener[]): void {
    this.listeners = listeners;
    this.d0 =
      this.d1 =
      this.d2 =
      this.d3 =
      this.d4 =
        null;
  }

  bake(argc: number): Dispatch {
    const listeners = this.listeners;
    const d = bakeDispatch(listeners, argc, (hot) => {
      if (this.listeners === listeners) this.use(argc, hot);
    });
    return this.use(argc, d);
  }

  use(argc: number, d: Dispatch): Dispatch {
    switch (argc) {
      case 0:
        return this.d0 = d;
      case 1:
        return this.d1 = d;
      case 2:
        return this.d2 = d;
      case 3:
        return this.d3 = d;
      default:
        return this.d4 = d;
    }
  }
}

const STATE = Symbol("event state");

interface EventInternals extends Event {
  [STATE]: EventState;
}

function stateOf(event: Event): EventState {
  return (event as EventInternals)[STATE];
}

function createEvent(name: string): Event {
  if (typeof name !== "string") {
    throw new TypeError(`Cannot create Event: its name must be a string, received ${typeof name}`);
  }
  const s = new EventState();
  // Fixed parameters plus `arguments.length` (which V8 reads without materialising `arguments`)
  // give listeners exactly the arguments emitted, with no array allocated per emit.
  const emit = function (a?: unknown, b?: unknown, c?: unknown, d?: unknown): void {
    switch (arguments.length) {
      case 0:
        (s.d0 ?? s.bake(0))();
        return;
      case 1:
        (s.d1 ?? s.bake(1))(a);
        return;
      case 2:
        (s.d2 ?? s.bake(2))(a, b);
        return;
      case 3:
        (s.d3 ?? s.bake(3))(a, b, c);
        return;
      case 4:
        (s.d4 ?? s.bake(4))(a, b, c, d);
        return;
      default:
        dispatchMany(s.listeners, arguments);
    }
  } as EventInternals;
  Object.defineProperty(emit, "name", { value: name });
  Object.defineProperty(emit, STATE, { value: s });
  Object.setPrototypeOf(emit, Event.prototype);
  return emit;
}

function assertListener(event: Event, listener: unknown): asserts listener is Listener {
  if (typeof listener !== "function") {
    throw new TypeError(
      `Cannot connect to event "${event.name}": the listener must be a function, received ${
        describe(listener)
      }`,
    );
  }
}

const eventPrototype = Object.create(Function.prototype, {
  listenerCount: {
    get(this: Event): number {
      return stateOf(this).listeners.length;
    },
  },
  addListener: {
    value: function addListener(this: Event, listener: Listener): void {
      assertListener(this, listener);
      const s = stateOf(this);
      s.set([...s.listeners, listener]);
    },
  },
  removeListener: {
    value: function removeListener(this: Event, listener: Listener): boolean {
      const s = stateOf(this);
      const i = s.listeners.indexOf(listener);
      if (i < 0) return false;
      s.set(s.listeners.filter((_, j) => j !== i));
      return true;
    },
  },
  removeAllListeners: {
    value: function removeAllListeners(this: Event): void {
      stateOf(this).set([]);
    },
  },
});

/**
 * Creates a standalone event; `Events` and `@emits` create them for you.
 */
export const Event: EventConstructor = function Event(this: unknown, name: string) {
  if (new.target === undefined) {
    throw new TypeError("Cannot call Event as a function: create one with `new Event(name)`");
  }
  return createEvent(name);
} as unknown as EventConstructor;
Object.defineProperty(Event, "prototype", { value: eventPrototype });
Object.defineProperty(eventPrototype, "constructor", { value: Event });
