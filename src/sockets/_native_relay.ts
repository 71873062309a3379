/**
 * A broker's sockets and relay through libzmq's C API by FFI, in a ZeroMQ context of their own.
 *
 * libzmq's proxy runs as a non-blocking FFI call, on Deno's thread pool. Unlike zeromq.js's
 * `zmq.Proxy` this lets `close()` end a relay that is blocked on a subscriber that never reads
 * (shutting the context down fails that send with ETERM), resolve only once libzmq let go of
 * every connection (terminating the context waits for that), and leaves nothing of zeromq.js's
 * N-API state to a relay still running at exit. A relay left running is an FFI call in flight,
 * which Deno's op sanitizer reports in the test that leaked it.
 *
 * @module
 */

import type { BrokerRelay } from "./_broker_relay.ts";
import {
  type Libzmq,
  libzmqError,
  SUBSCRIBE_ALL,
  ZMQ_PAIR,
  ZMQ_XPUB,
  ZMQ_XPUB_NODROP,
  ZMQ_XSUB,
} from "./_libzmq.ts";
import { NativeSocket } from "./_native_socket.ts";
import { countNative, delay } from "./_zmq.ts";

let relays = 0;
const TERMINATE = new TextEncoder().encode("TERMINATE");

/** See the module doc. Counts its two sockets as open, and the running relay as pending. */
export class NativeRelay implements BrokerRelay {
  readonly #lib: Libzmq;
  readonly #linger: number;
  readonly #context: Deno.PointerObject;
  readonly #xpub: NativeSocket;
  readonly #xsub: NativeSocket;
  /** The relay's control socket pair, as far as it was opened: closed with the rest. */
  readonly #control: NativeSocket[] = [];
  #running: Promise<number> | null = null;
  #ended = false;
  #closing: Promise<void> | null = null;
  readonly #done = Promise.withResolvers<void>();
  readonly done: Promise<void> = this.#done.promise;

  constructor(lib: Libzmq, linger: number) {
    this.#lib = lib;
    this.#linger = linger;
    const context = lib.zmq_ctx_new();
    if (context === null) throw libzmqError(lib, "Cannot create a ZeroMQ context");
    this.#context = context;
    this.#xpub = new NativeSocket(lib, context, ZMQ_XPUB, "XPUB");
    this.#xsub = new NativeSocket(lib, context, ZMQ_XSUB, "XSUB");
    // lossless: a full queue makes the relay wait (its send blocks), never drop
    this.#xpub.setInt32Option(ZMQ_XPUB_NODROP, 1);
    countNative(2, 0);
  }

  // async: a failure rejects, as zeromq.js's bind() does
  // deno-lint-ignore require-await
  async bindIn(endpoint: string): Promise<string> {
    return this.#xpub.bind(endpoint);
  }

  // deno-lint-ignore require-await
  async bindOut(endpoint: string): Promise<string> {
    return this.#xsub.bind(endpoint);
  }

  // deno-lint-ignore require-await
  async start(): Promise<void> {
    const lib = this.#lib;
    // subscribe to everything upstream, before any publisher connects: the XPUB side filters,
    // and no event waits for a subscription to travel to its publisher
    if (lib.zmq_send(this.#xsub.handle, SUBSCRIBE_ALL, 1n, 0) < 0) {
      throw libzmqError(lib, "Cannot subscribe the broker's XSUB socket");
    }
    const address = `inproc://mreventloop-relay-control-${++relays}`;
    const server = new NativeSocket(lib, this.#context, ZMQ_PAIR, "PAIR");
    this.#control.push(server);
    const client = new NativeSocket(lib, this.#context, ZMQ_PAIR, "PAIR");
    this.#control.push(client);
    server.bind(address);
    client.connect(address);
    this.#xpub.linger = this.#linger;
    countNative(0, 1);
    this.#running = lib.zmq_proxy_steerable(
      this.#xsub.handle,
      this.#xpub.handle,
      null,
      server.handle,
    );
    this.#running.then(() => {
      this.#ended = true;
      countNative(0, -1);
      // 0 after TERMINATE, -1 (ETERM) after the context was shut down: both only from close()
      if (this.#closing === null) {
        this.#done.reject(new Error("libzmq's proxy ended on an error of its own"));
      } else this.#done.resolve();
    });
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const lib = this.#lib;
    if (this.#running === null) this.#done.resolve();
    else if (!this.#ended) {
      lib.zmq_send(this.#control[1].handle, TERMINATE, BigInt(TERMINATE.length), 0);
      // the proxy reads TERMINATE between two messages; blocked on a full queue, it gets `linger`
      // ms to deliver, then the context is shut down, which fails its send with ETERM
      const outOfTime = delay(this.#linger);
      await Promise.race([this.#running, outOfTime.promise]);
      outOfTime.cancel();
      if (!this.#ended) lib.zmq_ctx_shutdown(this.#context);
      await this.#running;
    }
    for (const socket of this.#control) socket.close();
    this.#xsub.close();
    this.#xpub.close();
    countNative(-2, 0);
    // waits until libzmq let go of every connection (after at most `linger` ms of sending)
    countNative(0, 1);
    await lib.zmq_ctx_term(this.#context);
    countNative(0, -1);
  }
}
