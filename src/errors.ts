/**
 * Error classes of the in-process core.
 *
 * @module
 */

/**
 * Thrown when an `EventLoop` is asked to do something its state does not allow, such as starting
 * a loop that is already running.
 *
 * @example Starting a running loop twice
 * ```ts
 * import { EventLoop, EventLoopStateError } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 * await using loop = new EventLoop().start();
 * assert.throws(() => loop.start(), EventLoopStateError);
 * ```
 */
export class EventLoopStateError extends Error {
  /** Creates the error with a message saying what was refused and why. */
  constructor(message: string) {
    super(message);
    this.name = "EventLoopStateError";
  }
}

/**
 * Rejects a `SyncEvent` that timed out before its event was emitted.
 *
 * @example A SyncEvent that times out
 * ```ts
 * import { Events, SyncEvent, SyncEventTimeoutError } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 * const events = new Events(["never"]);
 * await assert.rejects(new SyncEvent(events.never, { timeout: 1 }), SyncEventTimeoutError);
 * ```
 */
export class SyncEventTimeoutError extends Error {
  /** Creates the error naming the event and the timeout that ran out. */
  constructor(eventName: string, timeout: number) {
    super(`Timed out waiting for event "${eventName}": nothing was emitted within ${timeout} ms`);
    this.name = "SyncEventTimeoutError";
  }
}
