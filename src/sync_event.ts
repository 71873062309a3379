/**
 * `SyncEvent`: await the next emission of an event.
 *
 * @module
 */

import type { Event } from "./event.ts";
import { describe } from "./_internal.ts";
import { SyncEventTimeoutError } from "./errors.ts";

/** Options of `new SyncEvent(event, options)`. */
export interface SyncEventOptions {
  /** Rejects with `signal.reason` when aborted, before or after construction. */
  signal?: AbortSignal;
  /** Rejects with a `SyncEventTimeoutError` after this many milliseconds. */
  timeout?: number;
}

/** What a `SyncEvent` resolves with: one argument as itself, none as `undefined`, several as an array. */
export type SyncEventResult<A extends unknown[]> = A extends [] ? undefined
  : A extends [infer Only] ? Only
  : A;

/**
 * Resolves with the first emission of `event` after construction: it listens from the moment it
 * is created, so an emission before the `await` counts. One argument resolves as that value,
 * several as an array of them. It stops listening once it has fired, been aborted or timed out.
 *
 * @example Await the next emission
 * ```ts
 * import { Events, SyncEvent } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 * const events = new Events<{ produced: [product: string]; pair: [a: number, b: number] }>([
 *   "produced",
 *   "pair",
 * ]);
 * const next = new SyncEvent(events.produced);
 * events.produced("some product");
 * assert.equal(await next, "some product");
 * const pair = new SyncEvent(events.pair, { timeout: 1000 });
 * events.pair(1, 2);
 * assert.deepEqual(await pair, [1, 2]);
 * ```
 */
export class SyncEvent<A extends unknown[]> implements Promise<SyncEventResult<A>> {
  /** So that `String(syncEvent)` and inspectors name it. */
  get [Symbol.toStringTag](): string {
    return "SyncEvent";
  }

  readonly #promise: Promise<SyncEventResult<A>>;

  /** Starts listening to `event`. */
  constructor(event: Event<A>, options: SyncEventOptions = {}) {
    if (typeof event !== "function" || typeof event.addListener !== "function") {
      throw new TypeError(
        `Cannot create SyncEvent: expected an Event, received ${describe(event)}`,
      );
    }
    const { signal, timeout } = options;
    if (
      timeout !== undefined &&
      !(typeof timeout === "number" && timeout >= 0 && timeout <= 2 ** 31 - 1)
    ) {
      throw new RangeError(
        `Cannot create SyncEvent for "${event.name}": timeout must be a number of milliseconds from 0 to 2^31-1, received ${
          describe(timeout)
        }`,
      );
    }
    const { promise, resolve, reject } = Promise.withResolvers<SyncEventResult<A>>();
    this.#promise = promise;
    // Nobody may ever await a SyncEvent that times out: that must not be an unhandled rejection.
    promise.catch(() => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      event.removeListener(listener);
      signal?.removeEventListener("abort", onAbort);
      if (timer !== undefined) clearTimeout(timer);
    };
    const listener = (...args: A) => {
      finish();
      resolve(
        (args.length === 0 ? undefined : args.length === 1 ? args[0] : args) as SyncEventResult<A>,
      );
    };
    const onAbort = () => {
      finish();
      reject(signal!.reason);
    };
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    event.addListener(listener);
    signal?.addEventListener("abort", onAbort, { once: true });
    if (timeout !== undefined) {
      timer = setTimeout(() => {
        finish();
        reject(new SyncEventTimeoutError(event.name, timeout));
      }, timeout);
    }
  }

  /** Attaches callbacks for the emission or the abort, like `Promise.prototype.then`. */
  then<R1 = SyncEventResult<A>, R2 = never>(
    onFulfilled?: ((value: SyncEventResult<A>) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#promise.then(onFulfilled, onRejected);
  }

  /** Attaches a callback for the abort or timeout, like `Promise.prototype.catch`. */
  catch<R = never>(
    onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null,
  ): Promise<SyncEventResult<A> | R> {
    return this.#promise.catch(onRejected);
  }

  /** Attaches a callback for either outcome, like `Promise.prototype.finally`. */
  finally(onFinally?: (() => void) | null): Promise<SyncEventResult<A>> {
    return this.#promise.finally(onFinally);
  }
}
