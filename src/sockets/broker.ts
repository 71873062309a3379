/**
 * `Broker`: relays every event published by any `Peer` (or Python MrEventLoop peer) to every peer
 * subscribed to it.
 *
 * @module
 */

import { BrokerBindError } from "./errors.ts";
import {
  assertNotHeld,
  checkEndpoint,
  fileIdentity,
  ipcPath,
  removeSocketFile,
} from "./endpoints.ts";
import { errorCode } from "./_zmq.ts";
import { type BrokerRelay, openBrokerRelay } from "./_broker_relay.ts";

/** Options of `new Broker(inEndpoint, outEndpoint, options)`. */
export interface BrokerOptions {
  /**
   * How long, in milliseconds, ZeroMQ keeps sending the events already relayed to subscribers
   * after `stop()` closed the broker's sockets (ZeroMQ's `linger` of the outgoing socket).
   * Default 1000.
   */
  linger?: number;
}

const NEW = 0;
const STARTING = 1;
const STARTED = 2;
const STOPPING = 3;
const STOPPED = 4;

/**
 * Relays events between peers: binds a ZeroMQ XPUB socket on `inEndpoint` (peers receive from it)
 * and an XSUB socket, subscribed to everything, on `outEndpoint` (peers publish to it), and moves
 * every message from the one to the other unparsed, all its parts, so no frame can crash it. The
 * relaying is libzmq's own proxy, on a thread of Deno's pool, not JavaScript.
 *
 * - Filtering happens here: each peer subscribes to the prefix of each event it wants, and the
 *   broker sends it only those.
 * - Nothing is dropped: the XPUB socket is `noDrop`, so a subscriber that falls behind makes the
 *   broker wait, which makes the publishers wait — backpressure instead of loss. One slow
 *   subscriber therefore slows down every publisher of the events it subscribes to.
 * - `start()` resolves once both endpoints are bound; `tcp://host:0` binds a free port, and
 *   `inEndpoint`/`outEndpoint` then give the endpoints actually bound. An `ipc://` path another
 *   live broker holds is refused with a {@linkcode BrokerBindError} (libzmq would take it over
 *   silently); a stale socket file left by a killed broker is replaced.
 * - `stop()` (or leaving an `await using` scope) ends the relay after the message it is relaying,
 *   lets ZeroMQ send what was relayed for at most `linger` ms, closes both sockets and removes the
 *   `ipc://` socket files it created. It resolves once libzmq let go of every connection. A relay
 *   blocked on a subscriber that never reads is given `linger` ms, then ended anyway.
 * - A running broker keeps its process alive, like a server, until it is stopped (or the script
 *   calls `Deno.exit()`). A test that leaves one running shows it in `socketAccounting()`;
 *   `deno test` still exits normally.
 *
 * These guarantees hold on Linux, where the broker drives libzmq through FFI. Elsewhere it falls
 * back to zeromq.js's `zmq.Proxy`, whose relay `stop()` cannot end while a subscriber that never
 * reads holds it up, and which crashes `deno test` at exit when a test leaves it running.
 *
 * A peer does not notice a broker that restarts on the same endpoints: ZeroMQ reconnects and
 * re-subscribes on its own. Events in flight through a broker that is stopped or killed are lost;
 * peers report it (see `Peer.brokerLost`).
 *
 * @example A broker for a scope
 * ```ts
 * import { Broker, socketAccounting } from "@mreventloop/core/sockets";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * {
 *   await using broker = await new Broker(`ipc://${dir}/in`, `ipc://${dir}/out`).start();
 *   assert.equal(broker.inEndpoint, `ipc://${dir}/in`);
 *   assert.ok((await Deno.lstat(`${dir}/in`)).isSocket);
 * }
 * await assert.rejects(Deno.lstat(`${dir}/in`), Deno.errors.NotFound);
 * assert.deepEqual(socketAccounting(), { openSockets: 0, pendingOperations: 0 });
 * await Deno.remove(dir);
 * ```
 *
 * @example Any free TCP port
 * ```ts
 * import { Broker } from "@mreventloop/core/sockets";
 * import assert from "node:assert/strict";
 * await using broker = await new Broker("tcp://127.0.0.1:0", "tcp://127.0.0.1:0").start();
 * assert.match(broker.inEndpoint, /^tcp:\/\/127\.0\.0\.1:\d+$/);
 * assert.notEqual(broker.inEndpoint, broker.outEndpoint);
 * ```
 */
export class Broker implements AsyncDisposable {
  #inEndpoint: string;
  #outEndpoint: string;
  readonly #linger: number;
  #state = NEW;
  #relay: BrokerRelay | null = null;
  #starting: Promise<this> | null = null;
  #stopping: Promise<void> | null = null;
  readonly #socketFiles: { path: string; identity: number | null }[] = [];

  /**
   * Prepares a broker; nothing is bound before `start()`.
   *
   * @param inEndpoint Where peers receive events: the broker's XPUB side, the first endpoint a
   * `Peer` takes.
   * @param outEndpoint Where peers publish events: the broker's XSUB side, the second endpoint.
   * @throws {TypeError} when an endpoint is not an endpoint string, or both are the same.
   */
  constructor(inEndpoint: string, outEndpoint: string, options: BrokerOptions = {}) {
    this.#inEndpoint = checkEndpoint("Broker: inEndpoint", inEndpoint);
    this.#outEndpoint = checkEndpoint("Broker: outEndpoint", outEndpoint);
    if (inEndpoint === outEndpoint && !inEndpoint.endsWith(":0") && inEndpoint !== "ipc://*") {
      throw new TypeError(
        `Cannot create Broker: inEndpoint and outEndpoint must differ, received "${inEndpoint}" twice`,
      );
    }
    const linger = options.linger ?? 1000;
    if (typeof linger !== "number" || !(linger >= 0 && linger <= 2 ** 31 - 1)) {
      throw new RangeError(
        `Cannot create Broker: linger must be a number of milliseconds from 0 to 2^31-1, received ${linger}`,
      );
    }
    this.#linger = linger;
  }

  /** The endpoint peers receive from; after `start()`, the endpoint actually bound. */
  get inEndpoint(): string {
    return this.#inEndpoint;
  }

  /** The endpoint peers publish to; after `start()`, the endpoint actually bound. */
  get outEndpoint(): string {
    return this.#outEndpoint;
  }

  /**
   * Binds both endpoints and starts relaying; resolves with the broker once both are bound.
   *
   * @throws {BrokerBindError} when an endpoint cannot be bound; nothing stays open then.
   * @throws {Error} when the broker was already started.
   */
  start(): Promise<this> {
    if (this.#state !== NEW) {
      return Promise.reject(
        new Error(`Cannot start Broker on ${this.#inEndpoint}: it was already started`),
      );
    }
    this.#state = STARTING;
    this.#starting = this.#start();
    return this.#starting;
  }

  async #start(): Promise<this> {
    try {
      await assertNotHeld(this.#inEndpoint);
      await assertNotHeld(this.#outEndpoint);
      const relay = this.#relay = openBrokerRelay(this.#linger);
      this.#inEndpoint = await this.#bind(() => relay.bindIn(this.#inEndpoint), this.#inEndpoint);
      this.#outEndpoint = await this.#bind(
        () => relay.bindOut(this.#outEndpoint),
        this.#outEndpoint,
      );
      await relay.start();
    } catch (error) {
      await this.#closeAll();
      this.#state = STOPPED;
      throw error;
    }
    this.#relay.done.catch((error) =>
      console.error(`Broker on ${this.#inEndpoint} stopped relaying:`, error)
    );
    this.#state = STARTED;
    return this;
  }

  async #bind(bind: () => Promise<string>, endpoint: string): Promise<string> {
    let bound: string;
    try {
      bound = await bind();
    } catch (error) {
      const code = errorCode(error);
      const why = error instanceof Error ? error.message : String(error);
      throw new BrokerBindError(endpoint, code, why, { cause: error });
    }
    const path = ipcPath(bound);
    if (path !== null) this.#socketFiles.push({ path, identity: fileIdentity(path) });
    return bound;
  }

  /**
   * Stops relaying: ends the relay after the message in flight (one blocked on a subscriber that
   * never reads, after `linger` ms), closes both sockets (ZeroMQ still sends what was relayed for
   * at most `linger` ms), and removes the `ipc://` socket files the broker created. Resolves when
   * all is done; calling it again returns the same promise.
   */
  stop(): Promise<void> {
    if (this.#stopping === null) this.#stopping = this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    if (this.#state === STARTING) await this.#starting!.catch(() => {});
    if (this.#state !== STARTED) {
      this.#state = STOPPED;
      return;
    }
    this.#state = STOPPING;
    await this.#closeAll();
    this.#state = STOPPED;
  }

  async #closeAll(): Promise<void> {
    await this.#relay?.close();
    for (const { path, identity } of this.#socketFiles) removeSocketFile(path, identity);
    this.#socketFiles.length = 0;
  }

  /** Stops the broker at the end of an `await using` scope; see `stop()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
