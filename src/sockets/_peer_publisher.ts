/**
 * How a peer hands its frames to ZeroMQ: where libzmq can be reached, PUB sockets driven through
 * libzmq's C API by FFI, which take a frame synchronously, without zeromq.js's N-API promise and
 * string copy per message; elsewhere zeromq.js's Publisher. The events' socket is lossless
 * (`noDrop`), the heartbeat beacon's lossy.
 *
 * Measured in the socket bench (500 000 single events from one process to another through a
 * broker, CPU per event of the publishing process): raw zeromq.js 1.5–1.6 µs on the main thread
 * and 0.5–0.7 µs on ZeroMQ's I/O thread, a peer through FFI 1.1–1.2 and 0.4–0.5 µs.
 *
 * @module
 */

import type * as zmq from "zeromq";
import { BEACON_QUEUE, openBeacon, openPublisher, SafeSocket } from "./_zmq.ts";
import {
  EINTR,
  type Libzmq,
  libzmqError,
  sharedContext,
  ZMQ_DONTWAIT,
  ZMQ_PUB,
  ZMQ_SNDHWM,
  ZMQ_XPUB_NODROP,
} from "./_libzmq.ts";
import { NativeSocket } from "./_native_socket.ts";
import { MAX_BATCH_BYTES } from "./_outgoing.ts";

const encoder = new TextEncoder();

/**
 * Frame sizes as the BigInts `zmq_send` takes (FFI's fast call refuses a number for a size_t, and
 * the slow call costs 80 ns), made once per length below `CACHED_SIZES`: sending a single event
 * allocates no BigInt (17 ns of ~160 a send, measured).
 */
const CACHED_SIZES = 4096;
const sizes: (bigint | undefined)[] = new Array(CACHED_SIZES);

/**
 * A `noDrop` PUB socket through FFI: `sendNow()` hands a frame to ZeroMQ at once or says it
 * cannot (its queue is full, or the socket failed); `send()` does the same as zeromq.js's does,
 * for `SafeSocket`'s waiting path. A frame is written into a buffer of the socket that holds any
 * batch (ZeroMQ copies it from there); a frame too large for it is encoded on its own.
 */
export class NativePublisher extends NativeSocket {
  readonly #buffer = new Uint8Array(MAX_BATCH_BYTES);
  #lastErrno = 0;

  /**
   * A lossless socket (`noDrop`: a full queue refuses frames), or with `sendHighWaterMark` set, a
   * lossy one that queues at most that many frames and drops the rest, as a plain PUB does.
   */
  constructor(lib: Libzmq, context: Deno.PointerObject, sendHighWaterMark?: number) {
    super(lib, context, ZMQ_PUB, "PUB");
    if (sendHighWaterMark === undefined) this.setInt32Option(ZMQ_XPUB_NODROP, 1);
    else this.setInt32Option(ZMQ_SNDHWM, sendHighWaterMark);
  }

  /**
   * Hands `frame` to ZeroMQ as one message of its UTF-8 bytes. Returns `false` when ZeroMQ did not
   * take it: its queue is full, the socket is closed, or libzmq failed (`send()` then says why).
   */
  sendNow(frame: string): boolean {
    if (this.closed) return false;
    let bytes = this.#buffer;
    let length: number;
    const encoded = frame.length <= bytes.length ? encoder.encodeInto(frame, bytes) : null;
    if (encoded !== null && encoded.read === frame.length) {
      length = encoded.written;
    } else {
      // longer than the buffer, in characters or, not being ASCII, in bytes: rare, and large
      bytes = encoder.encode(frame);
      length = bytes.length;
    }
    const size = length < CACHED_SIZES ? (sizes[length] ??= BigInt(length)) : BigInt(length);
    for (;;) {
      if (this.lib.zmq_send(this.handle, bytes, size, ZMQ_DONTWAIT) >= 0) return true;
      this.#lastErrno = this.lib.zmq_errno();
      if (this.#lastErrno !== EINTR) return false; // EINTR: a signal (a profiler's); nothing sent
    }
  }

  /**
   * Like zeromq.js's `send()` with a zero timeout, for `SafeSocket`: resolves once ZeroMQ took
   * `frame`, rejects with an error whose `code` is "EAGAIN" when its queue is full.
   */
  send(frame: string): Promise<void> {
    if (this.sendNow(frame)) return Promise.resolve();
    if (this.closed) {
      return Promise.reject(new Error(`Cannot send on a closed ZeroMQ ${this.kind} socket`));
    }
    return Promise.reject(libzmqError(this.lib, "", this.#lastErrno));
  }
}

/**
 * A lossless PUB socket for a peer's events: through FFI where libzmq can be reached (see the
 * module doc), else through zeromq.js. Either way a SafeSocket, waited for with poll(2).
 */
export function openPeerPublisher(): SafeSocket<zmq.Publisher> {
  const found = sharedContext();
  if (found === null) return openPublisher();
  return new SafeSocket(new NativePublisher(found.lib, found.context) as unknown as zmq.Publisher);
}

/**
 * A lossy PUB socket for a peer's heartbeat probes, the same way: they must never queue behind
 * the peer's events, and one dropped is as good as one unanswered.
 */
export function openPeerBeacon(): SafeSocket<zmq.Publisher> {
  const found = sharedContext();
  if (found === null) return openBeacon();
  return new SafeSocket(
    new NativePublisher(found.lib, found.context, BEACON_QUEUE) as unknown as zmq.Publisher,
  );
}
