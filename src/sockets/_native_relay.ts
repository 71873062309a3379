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
  cString,
  type Libzmq,
  libzmqError,
  SUBSCRIBE_ALL,
  ZMQ_LAST_ENDPOINT,
  ZMQ_LINGER,
  ZMQ_PAIR,
  ZMQ_XPUB,
  ZMQ_XPUB_NODROP,
  ZMQ_XSUB,
} from "./_libzmq.ts";
import { countNative, delay } from "./_zmq.ts";

let relays = 0;
const TERMINATE = new TextEncoder().encode("TERMINATE");

/** See the module doc. Counts its two sockets as open, and the running relay as pending. */
export class NativeRelay implements BrokerRelay {
  readonly #lib: Libzmq;
  readonly #linger: number;
  readonly #context: Deno.PointerObject;
  readonly #xpub: Deno.PointerObject;
  readonly #xsub: Deno.PointerObject;
  /** The relay's control socket pair, as far as it was opened: closed with the rest. */
  readonly #control: Deno.PointerObject[] = [];
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
    this.#xpub = this.#socket(ZMQ_XPUB);
    this.#xsub = this.#socket(ZMQ_XSUB);
    // lossless: a full queue makes the relay wait (its send blocks), never drop
    this.#setInt(this.#xpub, ZMQ_XPUB_NODROP, 1);
    countNative(2, 0);
  }

  // async: a failure rejects, as zeromq.js's bind() does
  // deno-lint-ignore require-await
  async bindIn(endpoint: string): Promise<string> {
    return this.#bind(this.#xpub, endpoint);
  }

  // deno-lint-ignore require-await
  async bindOut(endpoint: string): Promise<string> {
    return this.#bind(this.#xsub, endpoint);
  }

  // deno-lint-ignore require-await
  async start(): Promise<void> {
    const lib = this.#lib;
    // subscribe to everything upstream, before any publisher connects: the XPUB side filters,
    // and no event waits for a subscription to travel to its publisher
    if (lib.zmq_send(this.#xsub, SUBSCRIBE_ALL, 1n, 0) < 0) {
      throw libzmqError(lib, "Cannot subscribe the broker's XSUB socket");
    }
    const address = cString(`inproc://mreventloop-relay-control-${++relays}`);
    const server = this.#socket(ZMQ_PAIR);
    this.#control.push(server);
    const client = this.#socket(ZMQ_PAIR);
    this.#control.push(client);
    if (lib.zmq_bind(server, address) !== 0 || lib.zmq_connect(client, address) !== 0) {
      throw libzmqError(lib, "Cannot set up the relay's control sockets");
    }
    this.#setInt(this.#xpub, ZMQ_LINGER, this.#linger);
    countNative(0, 1);
    this.#running = lib.zmq_proxy_steerable(this.#xsub, this.#xpub, null, server);
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
      lib.zmq_send(this.#control[1], TERMINATE, BigInt(TERMINATE.length), 0);
      // the proxy reads TERMINATE between two messages; blocked on a full queue, it gets `linger`
      // ms to deliver, then the context is shut down, which fails its send with ETERM
      const outOfTime = delay(this.#linger);
      await Promise.race([this.#running, outOfTime.promise]);
      outOfTime.cancel();
      if (!this.#ended) lib.zmq_ctx_shutdown(this.#context);
      await this.#running;
    }
    for (const socket of this.#control) lib.zmq_close(socket);
    lib.zmq_close(this.#xsub);
    lib.zmq_close(this.#xpub);
    countNative(-2, 0);
    // waits until libzmq let go of every connection (after at most `linger` ms of sending)
    countNative(0, 1);
    await lib.zmq_ctx_term(this.#context);
    countNative(0, -1);
  }

  #socket(type: number): Deno.PointerObject {
    const socket = this.#lib.zmq_socket(this.#context, type);
    if (socket === null) throw libzmqError(this.#lib, "Cannot open a ZeroMQ socket");
    this.#setInt(socket, ZMQ_LINGER, 0);
    return socket;
  }

  #setInt(socket: Deno.PointerObject, option: number, value: number): void {
    if (this.#lib.zmq_setsockopt(socket, option, new Int32Array([value]), 4n) !== 0) {
      throw libzmqError(this.#lib, `Cannot set option ${option} of a ZeroMQ socket`);
    }
  }

  #bind(socket: Deno.PointerObject, endpoint: string): string {
    const lib = this.#lib;
    if (lib.zmq_bind(socket, cString(endpoint)) !== 0) throw libzmqError(lib, "");
    const buffer = new Uint8Array(1024);
    const length = new BigUint64Array([BigInt(buffer.length)]);
    if (lib.zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, buffer, length) !== 0) return endpoint;
    // the value ends with a NUL, counted in its length
    return new TextDecoder().decode(buffer.subarray(0, Math.max(0, Number(length[0]) - 1)));
  }
}
