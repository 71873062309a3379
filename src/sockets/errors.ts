/**
 * Error classes of `@mreventloop/core/sockets`.
 *
 * @module
 */

/**
 * Thrown by `Broker.start()` when it cannot bind one of its endpoints: the address is in use (for
 * `ipc://`, another live broker holds the path), the directory does not exist, the endpoint is
 * malformed, ...
 *
 * @example Two brokers on one endpoint
 * ```ts
 * import { Broker, BrokerBindError } from "@mreventloop/core/sockets";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * {
 *   await using _first = await new Broker(`ipc://${dir}/in`, `ipc://${dir}/out`).start();
 *   const second = new Broker(`ipc://${dir}/in`, `ipc://${dir}/out2`);
 *   const error = await second.start().catch((e) => e);
 *   assert.ok(error instanceof BrokerBindError);
 *   assert.equal(error.endpoint, `ipc://${dir}/in`);
 *   assert.equal(error.code, "EADDRINUSE");
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class BrokerBindError extends Error {
  /** The endpoint that could not be bound, as given. */
  readonly endpoint: string;
  /** The errno name, such as `"EADDRINUSE"` or `"ENOENT"`, or `"EINVAL"` for a malformed endpoint. */
  readonly code: string;

  /** Creates the error naming the endpoint and why binding it failed. */
  constructor(endpoint: string, code: string, why: string, options?: ErrorOptions) {
    super(`Cannot start Broker: cannot bind ${endpoint}: ${why}`, options);
    this.name = "BrokerBindError";
    this.endpoint = endpoint;
    this.code = code;
  }
}

/**
 * Rejects `Peer.start()` when no broker answered on the peer's endpoints before the timeout
 * elapsed or the signal was aborted (then `cause` is the signal's reason). The peer has closed
 * everything it opened by then.
 *
 * @example No broker
 * ```ts
 * import { Peer, PeerStartError } from "@mreventloop/core/sockets";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const peer = new Peer(`ipc://${dir}/in`, `ipc://${dir}/out`, [], []);
 * const error = await peer.start({ timeout: 50 }).catch((e) => e);
 * assert.ok(error instanceof PeerStartError);
 * assert.match(error.message, /ipc:\/\/.*\/in.*ipc:\/\/.*\/out/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class PeerStartError extends Error {
  /** The endpoint the peer receives from. */
  readonly inEndpoint: string;
  /** The endpoint the peer publishes to. */
  readonly outEndpoint: string;

  /** Creates the error naming both endpoints and why the start gave up. */
  constructor(inEndpoint: string, outEndpoint: string, why: string, options?: ErrorOptions) {
    super(
      `Cannot start Peer: no broker answered on ${inEndpoint} (receive) and ${outEndpoint} (publish): ${why}`,
      options,
    );
    this.name = "PeerStartError";
    this.inEndpoint = inEndpoint;
    this.outEndpoint = outEndpoint;
  }
}

/** What was wrong with a received frame; see {@linkcode FrameError.problem}. */
export type FrameErrorProblem =
  | "too-large"
  | "not-utf8"
  | "not-json"
  | "not-json-rpc"
  | "not-subscribed"
  | "wrong-argument-count";

/**
 * Describes one bad frame a `Peer` received and did not deliver: emitted on `peer.frameError`,
 * once per bad frame (once per bad entry of a batch). Good frames before and after it are
 * delivered as usual.
 *
 * @example Inspect a frame error
 * ```ts
 * import { FrameError } from "@mreventloop/core/sockets";
 * import assert from "node:assert/strict";
 * const error = new FrameError("not-json", "frame is not JSON", "{oops");
 * assert.equal(error.problem, "not-json");
 * assert.match(error.message, /not JSON.*\{oops/);
 * ```
 */
export class FrameError extends Error {
  /** The kind of problem, for code. */
  readonly problem: FrameErrorProblem;
  /** What was wrong, for people. */
  readonly reason: string;
  /** The start of the frame, in printable ASCII. */
  readonly excerpt: string;

  /** Creates the error with the problem, the reason and an excerpt of the frame. */
  constructor(problem: FrameErrorProblem, reason: string, excerpt: string) {
    super(`Peer received a bad frame: ${reason}; frame: ${excerpt}`);
    this.name = "FrameError";
    this.problem = problem;
    this.reason = reason;
    this.excerpt = excerpt;
  }
}

/**
 * Describes a peer losing its broker: emitted on `peer.brokerLost` when the broker stopped
 * answering while the peer runs, and when `stop()` could not get the broker to confirm that it
 * relayed everything the peer published. Events published around that time may not have reached
 * their subscribers; `undelivered` counts those the peer knows were never handed to ZeroMQ.
 *
 * @example Inspect a loss report
 * ```ts
 * import { BrokerLostError } from "@mreventloop/core/sockets";
 * import assert from "node:assert/strict";
 * const error = new BrokerLostError("ipc:///tmp/in", "ipc:///tmp/out", "no answer for 3000 ms", 0);
 * assert.match(error.message, /ipc:\/\/\/tmp\/in/);
 * assert.equal(error.undelivered, 0);
 * ```
 */
export class BrokerLostError extends Error {
  /** The endpoint the peer receives from. */
  readonly inEndpoint: string;
  /** The endpoint the peer publishes to. */
  readonly outEndpoint: string;
  /** How many published events were still queued in the peer, never handed to ZeroMQ. */
  readonly undelivered: number;

  /** Creates the report naming both endpoints, what happened and how many events were left. */
  constructor(inEndpoint: string, outEndpoint: string, why: string, undelivered: number) {
    super(
      `Peer lost the broker on ${inEndpoint} (receive) and ${outEndpoint} (publish): ${why}; ` +
        (undelivered > 0
          ? `${undelivered} published events were never sent, and events sent shortly before may be lost`
          : `events published shortly before may be lost`),
    );
    this.name = "BrokerLostError";
    this.inEndpoint = inEndpoint;
    this.outEndpoint = outEndpoint;
    this.undelivered = undelivered;
  }
}
