/**
 * What a socket driven through libzmq's C API by FFI shares, whatever its type: the few members
 * of a zeromq.js socket that `SafeSocket`, the peer and the broker use (options, `bind`,
 * `connect`, `close`), so a native socket and a zeromq.js socket can stand behind a `SafeSocket`
 * alike.
 *
 * @module
 */

import { cString, type Libzmq, libzmqError, ZMQ_LAST_ENDPOINT, ZMQ_LINGER } from "./_libzmq.ts";

/** A libzmq socket opened by FFI; its type's own calls are its subclass's. */
export class NativeSocket {
  /** Whether `close()` was called; the handle must not be used afterwards. */
  closed = false;
  protected readonly lib: Libzmq;
  /** libzmq's socket, for C calls of the owner's (`zmq_proxy_steerable`); not after `close()`. */
  readonly handle: Deno.PointerObject;
  /** Its type, as errors name it: "PUB", "SUB". */
  protected readonly kind: string;
  readonly #option = new Int32Array(1);
  readonly #optionLength = new BigUint64Array(1);

  /** Opens a socket of `type` (named `kind` in errors) in `context`, with `linger` 0. */
  constructor(lib: Libzmq, context: Deno.PointerObject, type: number, kind: string) {
    this.lib = lib;
    this.kind = kind;
    const handle = lib.zmq_socket(context, type);
    if (handle === null) throw libzmqError(lib, `Cannot open a ZeroMQ ${kind} socket`);
    this.handle = handle;
    this.linger = 0;
  }

  /** ZeroMQ's `ZMQ_LINGER`, in ms: how long a closed socket keeps sending what it queued. */
  get linger(): number {
    return this.getInt32Option(ZMQ_LINGER);
  }

  set linger(ms: number) {
    this.setInt32Option(ZMQ_LINGER, ms);
  }

  /** Sets an integer option; throws an Error naming the option when libzmq refuses it. */
  setInt32Option(option: number, value: number): void {
    this.#option[0] = value;
    if (this.lib.zmq_setsockopt(this.handle, option, this.#option, 4n) !== 0) {
      throw libzmqError(this.lib, `Cannot set option ${option} of a ZeroMQ ${this.kind} socket`);
    }
  }

  /** Reads an integer option (`ZMQ_FD`, `ZMQ_RCVMORE`, …). */
  getInt32Option(option: number): number {
    this.#optionLength[0] = 4n;
    if (this.lib.zmq_getsockopt(this.handle, option, this.#option, this.#optionLength) !== 0) {
      throw libzmqError(this.lib, `Cannot read option ${option} of a ZeroMQ ${this.kind} socket`);
    }
    return this.#option[0];
  }

  /** The same, under the name `SafeSocket` reads `ZMQ_EVENTS` by (zeromq.js's). */
  getUint32Option(option: number): number {
    return this.getInt32Option(option) >>> 0;
  }

  /**
   * Binds `endpoint` and returns the endpoint bound (with the port chosen for `tcp://…:0`); throws
   * libzmq's error, its `code` the errno's name (EADDRINUSE, …), when it cannot.
   */
  bind(endpoint: string): string {
    if (this.lib.zmq_bind(this.handle, cString(endpoint)) !== 0) throw libzmqError(this.lib, "");
    const buffer = new Uint8Array(1024);
    const length = new BigUint64Array([BigInt(buffer.length)]);
    if (this.lib.zmq_getsockopt(this.handle, ZMQ_LAST_ENDPOINT, buffer, length) !== 0) {
      return endpoint;
    }
    // the value ends with a NUL, counted in its length
    return new TextDecoder().decode(buffer.subarray(0, Math.max(0, Number(length[0]) - 1)));
  }

  connect(endpoint: string): void {
    if (this.lib.zmq_connect(this.handle, cString(endpoint)) !== 0) {
      throw libzmqError(this.lib, `Cannot connect to ${endpoint}`);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lib.zmq_close(this.handle);
  }
}
