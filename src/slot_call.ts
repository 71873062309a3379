/**
 * `SlotCall`: what a queued slot call returns.
 *
 * @module
 */

import { REJECT, RESOLVE } from "./_internal.ts";

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;

/**
 * The awaitable result of a slot call queued on an `EventLoop`. It settles once the loop has run
 * the call: with the method's result (awaited, for an async method) or its error.
 *
 * A `Promise` is only created when someone calls `then`, so a call nobody awaits costs one small
 * object and a failing call nobody awaits is never an unhandled rejection; its error still goes
 * to the loop's exception policy.
 *
 * @typeParam T The slot's result.
 *
 * @example Await a queued call's result
 * ```ts
 * import { EventLoop, SlotCall } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 * const loop = new EventLoop();
 * const call = loop.enqueue((n: number) => n * 2, 21);
 * assert.ok(call instanceof SlotCall);
 * assert.equal(call.settled, false); // the loop has not started
 * await using _ = loop.start();
 * assert.equal(await call, 42);
 * ```
 */
export class SlotCall<T = unknown> implements Promise<T> {
  /** So that `String(call)` and inspectors name it; a getter, so no per-call field. */
  get [Symbol.toStringTag](): string {
    return "SlotCall";
  }

  #state = PENDING;
  #value: unknown = undefined;
  #promise: PromiseWithResolvers<T> | undefined = undefined;

  /** Whether the loop has run the call yet. */
  get settled(): boolean {
    return this.#state !== PENDING;
  }

  /** Attaches callbacks for the result or the error, like `Promise.prototype.then`. */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#asPromise().then(onFulfilled, onRejected);
  }

  /** Attaches a callback for the error, like `Promise.prototype.catch`. */
  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#asPromise().catch(onRejected);
  }

  /** Attaches a callback for either outcome, like `Promise.prototype.finally`. */
  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.#asPromise().finally(onFinally);
  }

  #asPromise(): Promise<T> {
    if (this.#promise === undefined) {
      this.#promise = Promise.withResolvers<T>();
      if (this.#state === FULFILLED) this.#promise.resolve(this.#value as T);
      else if (this.#state === REJECTED) this.#promise.reject(this.#value);
    }
    return this.#promise.promise;
  }

  /** @internal Called by the loop with the method's result. */
  [RESOLVE](value: unknown): void {
    this.#state = FULFILLED;
    this.#value = value;
    this.#promise?.resolve(value as T);
  }

  /** @internal Called by the loop with the method's error. */
  [REJECT](error: unknown): void {
    this.#state = REJECTED;
    this.#value = error;
    this.#promise?.reject(error);
  }
}
