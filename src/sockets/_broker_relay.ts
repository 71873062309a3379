/**
 * A broker's two sockets and the relay between them, behind one small interface, in two builds:
 * through libzmq's C API by FFI where it can be reached (`_native_relay.ts`), else through
 * zeromq.js's `zmq.Proxy`.
 *
 * @module
 */

import { openXPublisher, openXSubscriber, Relay, type SafeSocket } from "./_zmq.ts";
import { NativeRelay } from "./_native_relay.ts";
import { loadLibzmq, SUBSCRIBE_ALL } from "./_libzmq.ts";

/** What `Broker` needs of its sockets and relay. */
export interface BrokerRelay {
  /** Binds the XPUB side (peers receive from it); resolves with the endpoint actually bound. */
  bindIn(endpoint: string): Promise<string>;
  /** Binds the XSUB side (peers publish to it); resolves with the endpoint actually bound. */
  bindOut(endpoint: string): Promise<string>;
  /** Subscribes the XSUB side to everything and starts relaying. */
  start(): Promise<void>;
  /** Settles when relaying ended; rejects when it ended on an error of its own. */
  readonly done: Promise<void>;
  /**
   * Ends relaying and closes everything, letting ZeroMQ send what was relayed for at most
   * `linger` ms; after start(), or instead of it when a bind failed.
   */
  close(): Promise<void>;
}

/** A broker's sockets, not bound yet; `linger` applies when it closes. */
export function openBrokerRelay(linger: number): BrokerRelay {
  const lib = loadLibzmq();
  return lib === null ? new ZeromqRelay(linger) : new NativeRelay(lib, linger);
}

/**
 * The zeromq.js build: `Relay` on zeromq.js sockets. Its stop() cannot end a relay blocked on a
 * subscriber that never reads (see `Relay`).
 */
export class ZeromqRelay implements BrokerRelay {
  readonly #linger: number;
  readonly #xpub = openXPublisher();
  readonly #xsub = openXSubscriber();
  #relay: Relay | null = null;
  readonly #done = Promise.withResolvers<void>();
  readonly done: Promise<void> = this.#done.promise;

  constructor(linger: number) {
    this.#linger = linger;
  }

  bindIn(endpoint: string): Promise<string> {
    return bind(this.#xpub, endpoint);
  }

  bindOut(endpoint: string): Promise<string> {
    return bind(this.#xsub, endpoint);
  }

  async start(): Promise<void> {
    // subscribe to everything upstream, before any publisher connects: the XPUB side filters,
    // and no event waits for a subscription to travel to its publisher
    await this.#xsub.send(SUBSCRIBE_ALL);
    this.#xpub.raw.linger = this.#linger;
    this.#relay = new Relay(this.#xsub, this.#xpub);
    this.#relay.done.then(this.#done.resolve, this.#done.reject);
  }

  async close(): Promise<void> {
    if (this.#relay !== null) {
      this.#relay.terminate();
      await this.#relay.done.catch(() => {}); // reported through `done`
    } else {
      this.#done.resolve();
    }
    await this.#xsub.close();
    await this.#xpub.close();
  }
}

async function bind(socket: SafeSocket, endpoint: string): Promise<string> {
  await socket.raw.bind(endpoint);
  return socket.raw.lastEndpoint ?? endpoint;
}
