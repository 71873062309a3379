/**
 * `socketAccounting()`: what the sockets module holds open right now, for tests and shutdown
 * checks.
 *
 * @module
 */

import { currentAccounting } from "./_zmq.ts";

/** What `socketAccounting()` reports. */
export interface SocketAccounting {
  /** ZeroMQ sockets opened by brokers and peers and not yet closed. */
  readonly openSockets: number;
  /**
   * Waits for a socket in flight (each is a `poll(2)` on Deno's thread pool), and brokers' relay
   * threads running (one each).
   */
  readonly pendingOperations: number;
}

/**
 * Returns how many ZeroMQ sockets the brokers and peers of this process hold open, and how many
 * waits on them, running broker relays and broker shutdowns are in flight. Deno's op and resource
 * sanitizers cannot see ZeroMQ's native sockets, so tests assert that both return to zero once
 * every broker and peer has stopped.
 *
 * @example Nothing left open
 * ```ts
 * import { Broker, socketAccounting } from "@mreventloop/core/sockets";
 * import assert from "node:assert/strict";
 * {
 *   await using _broker = await new Broker("tcp://127.0.0.1:0", "tcp://127.0.0.1:0").start();
 *   assert.equal(socketAccounting().openSockets, 2);
 * }
 * assert.deepEqual(socketAccounting(), { openSockets: 0, pendingOperations: 0 });
 * ```
 */
export function socketAccounting(): SocketAccounting {
  return currentAccounting();
}
