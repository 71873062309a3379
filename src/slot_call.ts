/**
 * `SlotCall`: what a queued slot call returns.
 *
 * @module
 */

import { REJECT, RESOLVE } from "./_internal.ts";

/** The state of a call that has not run and that nobody awaits yet. */
const PENDING: unique symbol = Symbol("pending");

/** The state of a call that has not run and that someone awaits. */
class Awaiting {
  constructor(readonly resolvers: PromiseWithResolvers<unknown>) {}
}

/** The state of a call that threw. */
class Failed {
  constructor(readonly error: unknown) {}
}

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

  // One field, so that the object a caller keeps per queued call stays small (32 bytes, not 56):
  // PENDING, an Awaiting, a Failed, or the result itself. No private methods either: each adds
  // a brand field to every instance.
  #state: unknown = PENDING;

  /** Whether the loop has run the call yet. */
  get settled(): boolean {
    const s = this.#state;
    return s !== PENDING && !(s instanceof Awaiting);
  }

  /** Attaches callbacks for the result or the error, like `Promise.prototype.then`. */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return SlotCall.#promiseOf(this).then(onFulfilled, onRejected);
  }

  /** Attaches a callback for the error, like `Promise.prototype.catch`. */
  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return SlotCall.#promiseOf(this).catch(onRejected);
  }

  /** Attaches a callback for either outcome, like `Promise.prototype.finally`. */
  finally(onFinally?: (() => void) | null): Promise<T> {
    return SlotCall.#promiseOf(this).finally(onFinally);
  }

  static #promiseOf<T>(call: SlotCall<T>): Promise<T> {
    const s = call.#state;
    if (s === PENDING) {
      const resolvers = Promise.withResolvers<unknown>();
      call.#state = new Awaiting(resolvers);
      return resolvers.promise as Promise<T>;
    }
    if (s instanceof Awaiting) return s.resolvers.promise as Promise<T>;
    if (s instanceof Failed) return Promise.reject(s.error);
    return Promise.resolve(s as T);
  }

  /** @internal Called by the loop with the method's result. */
  [RESOLVE](value: unknown): void {
    const s = this.#state;
    this.#state = value;
    if (s !== PENDING) (s as Awaiting).resolvers.resolve(value);
  }

  /** @internal Called by the loop with the method's error. */
  [REJECT](error: unknown): void {
    const s = this.#state;
    this.#state = new Failed(error);
    if (s !== PENDING) (s as Awaiting).resolvers.reject(error);
  }
}
