/**
 * `Spy`: a receiver that records every call of its slots, for tests.
 *
 * @module
 */

import { Events } from "./events.ts";
import type { AnyArgs } from "./event.ts";
import { describe } from "./_internal.ts";

/**
 * A receiver with one recording function per slot name, for tests: connect it like any receiver,
 * then read `calls`. Each call is also emitted on `events` under the slot's name, so a test can
 * `await new SyncEvent(spy.events.onProduced)`.
 *
 * @typeParam N The slot names.
 *
 * @example Record calls of a slot
 * ```ts
 * import { connect, Events, Spy } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 * const events = new Events(["produced"]);
 * const spy = new Spy(["onProduced"]);
 * connect(events, "produced", spy);
 * events.produced("a");
 * events.produced("b", 2);
 * assert.deepEqual(spy.calls.onProduced, [["a"], ["b", 2]]);
 * ```
 */
export type Spy<N extends string = string> =
  & SpyMembers<N>
  & {
    readonly [
      /** Records a call of this slot. */
      K in N
    ]: (...args: AnyArgs) => void;
  };

/** What a `Spy` has besides its recording functions. */
export interface SpyMembers<N extends string> {
  /** The arguments of every call so far, per slot, oldest first. */
  readonly calls: { readonly [K in N]: AnyArgs[] };
  /** One event per slot, emitted with the arguments of each call. */
  readonly events: Events<{ [K in N]: AnyArgs }>;
}

/** Creates spies: `new Spy(["onProduced"])`. */
export interface SpyConstructor {
  /** Creates a spy with a recording function for each name in `slotNames`. */
  new <const N extends string>(slotNames: readonly N[]): Spy<N>;
}

class SpyImpl<N extends string> {
  /** The arguments of every call so far, per slot, oldest first. */
  readonly calls: { readonly [K in N]: AnyArgs[] };
  /** One event per slot, emitted with the arguments of each call. */
  readonly events: Events<{ [K in N]: AnyArgs }>;

  /** Creates a spy with a recording function for each name in `slotNames`. */
  constructor(slotNames: readonly N[]) {
    if (!Array.isArray(slotNames)) {
      throw new TypeError(
        `Cannot create Spy: slotNames must be an array of strings, received ${describe(slotNames)}`,
      );
    }
    const calls = {} as Record<string, AnyArgs[]>;
    this.events = new Events<{ [K in N]: AnyArgs }>(slotNames);
    for (const name of slotNames) {
      calls[name] = [];
      const event = (this.events as unknown as Record<string, (...args: AnyArgs) => void>)[name];
      Object.defineProperty(this, name, {
        enumerable: false,
        value: (...args: AnyArgs) => {
          calls[name].push(args);
          event(...args);
        },
      });
    }
    this.calls = calls as { readonly [K in N]: AnyArgs[] };
  }
}

/** Creates a spy; see the type `Spy`. */
export const Spy: SpyConstructor = SpyImpl as unknown as SpyConstructor;
Object.defineProperty(SpyImpl, "name", { value: "Spy" });
