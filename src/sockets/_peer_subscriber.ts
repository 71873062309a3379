/**
 * How a peer takes its events off its SUB socket: a receive loop that waits with `SafeSocket`,
 * and, where libzmq can be reached, a SUB socket driven through libzmq's C API by FFI, which
 * costs a fraction of zeromq.js's per-message N-API promise and Buffer.
 *
 * @module
 */

import type * as zmq from "zeromq";
import { isAgain, type Message, nextTurn, openSubscriber, SafeSocket } from "./_zmq.ts";
import {
  EAGAIN,
  EINTR,
  type Libzmq,
  libzmqError,
  sharedContext,
  ZMQ_DONTWAIT,
  ZMQ_RCVMORE,
  ZMQ_SUB,
  ZMQ_SUBSCRIBE,
} from "./_libzmq.ts";
import { NativeSocket } from "./_native_socket.ts";

/** Frames taken off a socket before the loop lets timers and I/O in. */
const RECEIVE_BATCH = 4096;

/**
 * Takes every message off `socket` and hands it to `onMessage` (awaiting it when it returns a
 * promise), waiting on the socket when none is queued. Ends when the socket is closed, or when
 * no message is queued and `done()` says so. Lets the event loop run every few thousand frames.
 */
export async function receiveEach(
  socket: SafeSocket,
  onMessage: (message: Message) => void | Promise<unknown>,
  done: () => boolean,
): Promise<void> {
  // zeromq.js directly, not socket.receive(): one promise per message instead of two. This loop
  // is its socket's only user, so no other wait can lose its wake-up to it.
  const raw = socket.raw as unknown as zmq.Readable;
  if (raw instanceof NativeSubscriber) return receiveEachNative(socket, raw, onMessage, done);
  let taken = 0;
  for (;;) {
    if (socket.closed) return;
    let message: Message;
    try {
      message = await raw.receive() as Message;
    } catch (error) {
      if (!isAgain(error)) throw error;
      if (socket.closed || done()) return;
      await socket.wait();
      taken = 0;
      continue;
    }
    const pending = onMessage(message);
    if (pending !== undefined) await pending;
    taken += message.length;
    if (taken >= RECEIVE_BATCH) {
      taken = 0;
      await nextTurn();
    }
  }
}

async function receiveEachNative(
  socket: SafeSocket,
  raw: NativeSubscriber,
  onMessage: (message: Message) => void | Promise<unknown>,
  done: () => boolean,
): Promise<void> {
  let taken = 0;
  for (;;) {
    if (socket.closed) return;
    const message = raw.receiveNow();
    if (message === null) {
      if (socket.closed || done()) return;
      await socket.wait();
      taken = 0;
      continue;
    }
    const pending = onMessage(message);
    if (pending !== undefined) await pending;
    taken += message.length;
    if (taken >= RECEIVE_BATCH) {
      taken = 0;
      await nextTurn();
    }
  }
}

// -- libzmq through FFI, for the receive path of peers --

/*
 * zeromq.js's `receive()` costs about 2 µs a message under Deno (an N-API promise and a Buffer per
 * part); calling libzmq through FFI costs about 0.3 µs. zeromq.js's addon exports libzmq's C API,
 * so on Linux, where /proc/self/maps names the addon zeromq.js loaded, a peer's SUB socket is
 * opened through FFI, in the context the process's FFI peer sockets share; elsewhere, or without the permission to read
 * that file, through zeromq.js. Either way it is a SafeSocket, waited for with poll(2).
 */

const MAX_NATIVE_FRAME_BYTES = 64 * 1024 * 1024;

/**
 * A SUB socket through FFI, with the few members of a zeromq.js socket that `SafeSocket`, the
 * peer and `receiveEach()` use, and `receiveNow()`: the next message, or `null`, synchronously.
 *
 * Frames are received straight into a buffer of the socket (one `zmq_recv` call a frame), and
 * handed out as views into it that the next `receiveNow()` overwrites. The buffer always has room
 * for a frame of `maxFrameBytes` + 1, so a frame is cut short only when it is larger than that:
 * such a frame is handed out as a zeroed array of its full length holding its first bytes, which
 * is all a report of a frame too large needs.
 */
class NativeSubscriber extends NativeSocket {
  readonly #frameRoom: number;
  readonly #frameRoomBig: bigint;
  #buffer: Uint8Array<ArrayBuffer>;
  readonly #more = new Int32Array(1);
  readonly #moreLength = new BigUint64Array(1);

  constructor(lib: Libzmq, context: Deno.PointerObject, maxFrameBytes: number) {
    super(lib, context, ZMQ_SUB, "SUB");
    this.#frameRoom = maxFrameBytes + 1;
    this.#frameRoomBig = BigInt(this.#frameRoom);
    this.#buffer = new Uint8Array(2 * this.#frameRoom);
  }

  subscribe(prefix: string): void {
    const bytes = new TextEncoder().encode(prefix);
    if (this.lib.zmq_setsockopt(this.handle, ZMQ_SUBSCRIBE, bytes, BigInt(bytes.length)) !== 0) {
      throw libzmqError(this.lib, `Cannot subscribe to "${prefix}"`);
    }
  }

  /** Like zeromq.js's `receive()` with a zero timeout, for `SafeSocket.receive()`: copies. */
  receive(): Promise<Message> {
    const message = this.receiveNow();
    if (message === null) {
      return Promise.reject(Object.assign(new Error("Resource temporarily unavailable"), {
        code: "EAGAIN",
      }));
    }
    return Promise.resolve(message.map((frame) => frame.slice()));
  }

  receiveNow(): Message | null {
    const lib = this.lib;
    const room = this.#frameRoom;
    let buffer = this.#buffer;
    let at = 0;
    let parts: Message | null = null;
    for (;;) {
      if (buffer.length - at < room) {
        // a long message: its earlier parts keep the old buffer; later ones go to a new one
        buffer = this.#buffer = new Uint8Array(2 * room);
        at = 0;
      }
      const into = at === 0 ? buffer : buffer.subarray(at);
      const size = lib.zmq_recv(this.handle, into, this.#frameRoomBig, ZMQ_DONTWAIT);
      if (size < 0) {
        const errno = lib.zmq_errno();
        if (errno === EINTR) continue; // a signal (the profiler's, say): nothing was taken
        // the parts of a message arrive together: "would block" only ever comes before the first
        if (parts === null && errno === EAGAIN) return null;
        throw libzmqError(lib, "Cannot receive from a ZeroMQ SUB socket", errno);
      }
      let frame: Uint8Array;
      if (size <= room) {
        frame = buffer.subarray(at, at + size);
        at += size;
      } else {
        frame = new Uint8Array(size); // cut short: too large to be read anyway
        frame.set(buffer.subarray(at, at + Math.min(room, 256)));
      }
      if (parts === null) parts = [frame];
      else parts.push(frame);
      this.#moreLength[0] = 4n;
      lib.zmq_getsockopt(this.handle, ZMQ_RCVMORE, this.#more, this.#moreLength);
      if (this.#more[0] === 0) return parts;
    }
  }
}

/**
 * A SUB socket for a peer's incoming events: through FFI where libzmq can be reached (see above),
 * else through zeromq.js. Use its `raw` for `subscribe()` and `connect()` only, and receive with
 * `receiveEach()`, whose `onMessage` must be done with the frames when it returns (or its promise
 * settles): the next receive may overwrite them. Frames up to `maxFrameBytes` arrive whole.
 */
export function openPeerSubscriber(maxFrameBytes: number): SafeSocket<zmq.Subscriber> {
  // the receive buffer holds two frames of the largest size: beyond 64 MiB, zeromq.js does better
  const found = maxFrameBytes <= MAX_NATIVE_FRAME_BYTES ? sharedContext() : null;
  if (found === null) return openSubscriber();
  return new SafeSocket(
    new NativeSubscriber(found.lib, found.context, maxFrameBytes) as unknown as zmq.Subscriber,
  );
}
