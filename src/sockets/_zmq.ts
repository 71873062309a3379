/**
 * The door to zeromq.js: every zeromq.js socket `Broker` and `Peer` use is created, driven and
 * closed here, and counted, so the traps of zeromq.js 6.8 under Deno 2.9 are avoided in one place
 * (the sockets driven through libzmq's C API are `_libzmq.ts`'s users').
 *
 * zeromq.js waits for a socket with libuv's `uv_poll`, and Deno's N-API emulates `uv_poll_start`
 * with a thread that polls the descriptor and fires its callback **once**. ZeroMQ's `ZMQ_FD` also
 * becomes readable for internal commands (a new connection, flow control), so a `receive()` left
 * pending is woken once, finds no message, and then waits forever — and keeps `deno run` alive,
 * because the emulated handle stays referenced. A `send()` that has to wait, and zeromq.js's own
 * `sendTimeout`/`receiveTimeout` timers (which crash Deno 2.9.6), have the same root. So:
 *
 * - zeromq.js is only ever called with `sendTimeout` and `receiveTimeout` 0: every `send()` and
 *   `receive()` settles at once (EAGAIN when it would block); none is ever pending, so closing a
 *   socket can never leave an operation behind (the ENOTSOCK and keep-alive traps).
 * - Waiting is ours: `poll(2)` on the socket's `ZMQ_FD` through Deno FFI (a non-blocking call on
 *   Deno's thread pool), plus a self-pipe so `close()` can wake it at once. After every wake-up
 *   the caller retries the operation, which also makes ZeroMQ process its commands — the
 *   edge-triggered `ZMQ_FD` contract.
 * - A full `noDrop` publisher answers EAGAIN; `send()` then waits on `ZMQ_FD` (ZeroMQ signals it
 *   when a reader frees room) and retries: backpressure, never loss.
 * - `linger` is 0 unless the owner says otherwise, so the process never hangs at exit on messages
 *   queued for a peer that is gone; the owners make delivery certain before closing instead.
 * - Open sockets and pending waits are counted ({@linkcode currentAccounting}), because Deno's
 *   sanitizers cannot see N-API sockets.
 * - Where libzmq's C API can be reached by FFI (`_libzmq.ts`), a broker relays with it
 *   (`_native_relay.ts`) and a peer publishes and receives with it (`_peer_publisher.ts`,
 *   `_peer_subscriber.ts`), behind a `SafeSocket` all the same: zeromq.js's per-message N-API
 *   promise, string copy and Buffer cost several times what the message itself does, and its
 *   `zmq.Proxy` can neither be ended while blocked nor be left running at exit. Elsewhere the
 *   broker relays on `zmq.Proxy` ({@linkcode Relay}).
 *
 * @module
 */

import * as zmq from "zeromq";
import { setImmediate } from "node:timers";

/** One message as ZeroMQ delivers it: its parts, in order. */
export type Message = Uint8Array[];

// -- Accounting --

let openSockets = 0;
let pendingOperations = 0;
/** Sockets not closed yet, so the process can stop driving them when it ends. */
const live = new Set<SafeSocket>();
let unloadListening = false;

/** Relays whose native thread still runs. */
const running = new Set<Relay>();

/**
 * At process exit, zeromq.js closes the sockets still open and the N-API environment goes away;
 * a wait woken by that and retried would call into zeromq.js and crash the process (seen under
 * `deno test` when a test left a broker running). From `unload` on, no socket is driven any more,
 * and every relay still running is told to end, so its thread lets go of its sockets.
 */
function abandonAll(): void {
  for (const relay of running) relay.terminate();
  for (const socket of live) socket.abandon();
}

function listenForUnload(): void {
  if (unloadListening) return;
  unloadListening = true;
  globalThis.addEventListener("unload", abandonAll);
}

/** Counts sockets opened, and operations started, outside `SafeSocket` (negative: ended). */
export function countNative(sockets: number, operations: number): void {
  openSockets += sockets;
  pendingOperations += operations;
}

/** The counters behind `socketAccounting()`. */
export function currentAccounting(): { openSockets: number; pendingOperations: number } {
  return { openSockets, pendingOperations };
}

// -- poll(2) through FFI --

const POLLIN = 1;
const ZMQ_FD = 14;
const ZMQ_EVENTS = 15;

const LIBC_SYMBOLS = {
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32", nonblocking: true },
  pipe: { parameters: ["buffer"], result: "i32" },
  write: { parameters: ["i32", "buffer", "u64"], result: "i64" },
  read: { parameters: ["i32", "buffer", "u64"], result: "i64" },
  close: { parameters: ["i32"], result: "i32" },
} as const;

const DARWIN_SYMBOLS = {
  ...LIBC_SYMBOLS,
  poll: { parameters: ["buffer", "u32", "i32"], result: "i32", nonblocking: true },
} as const;

interface Libc {
  poll(fds: Uint8Array<ArrayBuffer>, count: number | bigint, timeout: number): Promise<number>;
  pipe(fds: Uint8Array<ArrayBuffer>): number;
  write(fd: number, bytes: Uint8Array<ArrayBuffer>, length: bigint): number | bigint;
  read(fd: number, bytes: Uint8Array<ArrayBuffer>, length: bigint): number | bigint;
  close(fd: number): number;
}

let libc: Libc | undefined;
let pollCount: number | bigint = 2n;

function loadLibc(): Libc {
  if (libc !== undefined) return libc;
  const os = Deno.build.os;
  if (os === "darwin") {
    libc = Deno.dlopen("libSystem.B.dylib", DARWIN_SYMBOLS).symbols as unknown as Libc;
    pollCount = 2;
  } else if (os === "linux") {
    libc = Deno.dlopen("libc.so.6", LIBC_SYMBOLS).symbols as unknown as Libc;
  } else {
    throw new Error(
      `Cannot open a ZeroMQ socket on ${os}: waiting for sockets needs poll(2), available on Linux and macOS`,
    );
  }
  return libc;
}

/** Resolves on the next turn of the event loop (`setTimeout(0)` takes about 2 ms under Deno). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A timer as a promise that can be cancelled, so nothing outlives the wait. */
export function delay(ms: number): { promise: Promise<void>; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<void>((resolve) => timer = setTimeout(resolve, ms));
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Whether `error` is ZeroMQ's "would block". */
export function isAgain(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "EAGAIN";
}

// -- Sockets --

const SENT_NOTHING: Promise<boolean> = Promise.resolve(false);

/** A socket that can take a frame synchronously: `true` when ZeroMQ took it. */
interface SendsNow {
  sendNow(frame: string): boolean;
}

/**
 * A zeromq.js socket (or a native one of the same shape, `_native_socket.ts`) that never has an
 * operation pending inside zeromq.js, can wait for its `ZMQ_FD` without zeromq.js's poller, and
 * is counted while open.
 */
export class SafeSocket<S extends zmq.Socket = zmq.Socket> {
  /**
   * The zeromq.js socket (or native one), for bind/connect/options; never call send/receive on it
   * directly.
   */
  readonly raw: S;
  #closed = false;
  readonly #fd: number;
  /** pollfd[2]: ZMQ_FD and the read end of the wake pipe. */
  readonly #pollfds = new Uint8Array(16);
  readonly #pipe = new Int32Array([-1, -1]);
  #waiting: Promise<void> | null = null;
  #wakeups = 0;
  readonly #byte = new Uint8Array(64);
  /** The socket itself when it can take a frame synchronously (a native publisher). */
  readonly #sendsNow: SendsNow | null;

  constructor(raw: S) {
    this.raw = raw;
    this.#sendsNow = typeof (raw as Partial<SendsNow>).sendNow === "function"
      ? raw as unknown as SendsNow
      : null;
    openSockets++;
    live.add(this as SafeSocket);
    listenForUnload();
    try {
      loadLibc();
      this.#fd = (raw as unknown as { getInt32Option(option: number): number }).getInt32Option(
        ZMQ_FD,
      );
    } catch (error) {
      this.#closed = true;
      openSockets--;
      live.delete(this as SafeSocket);
      raw.close();
      throw error;
    }
  }

  /** How many waits have ended: a caller can tell whether a `send()` had to wait. */
  get wakeups(): number {
    return this.#wakeups;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Hands `message` to ZeroMQ. When the socket's queue is full (a `noDrop` publisher), waits for
   * room and retries, keeping order: backpressure, never loss. Resolves `true` once ZeroMQ took
   * the message, `false` if the socket was closed first.
   *
   * Several sends may wait on one socket at once (a peer's events and its probes): every call into
   * ZeroMQ processes the socket's pending commands and so clears the edge-triggered `ZMQ_FD`, and a
   * send that succeeds may thereby take the signal another send waits for. So a send that succeeds
   * while a wait is in flight wakes it ({@linkcode SafeSocket.interrupt}), and its owner retries. A
   * send that fails with EAGAIN needs no such care: ZeroMQ signals again once room is made.
   */
  send(message: Message | Uint8Array | string | (Uint8Array | string)[]): Promise<boolean> {
    // the common case, ZeroMQ takes the message at once, costs one promise of ours
    if (this.#closed) return SENT_NOTHING;
    let sending: Promise<void>;
    try {
      sending = (this.raw as unknown as zmq.Writable).send(message);
    } catch (error) {
      return Promise.reject(error);
    }
    return sending.then(this.#sent, (error) => this.#sendWhenRoom(message, error));
  }

  readonly #sent = (): boolean => {
    this.sent();
    return true;
  };

  /**
   * Hands `frame` to ZeroMQ synchronously if this socket can (a native publisher) and ZeroMQ takes
   * it now; `false` otherwise, and the caller then sends as `trySend()` says. Like `send()`, wakes
   * a wait in flight when it sent.
   */
  sendNow(frame: string): boolean {
    if (this.#sendsNow === null || this.#closed || !this.#sendsNow.sendNow(frame)) return false;
    this.sent();
    return true;
  }

  /**
   * The first attempt of `send()`, for a caller that keeps `message` at hand: zeromq.js's own
   * promise (ZeroMQ took the message when it resolves; EAGAIN when its queue is full), or `null`
   * when the socket is closed. On success the caller calls `sent()`; on EAGAIN, `sendWhenRoom()`.
   * Spares the closure and the promise `send()` adds to every message.
   */
  trySend(message: Message | Uint8Array | string | (Uint8Array | string)[]): Promise<void> | null {
    if (this.#closed) return null;
    return (this.raw as unknown as zmq.Writable).send(message);
  }

  /** After `trySend()` succeeded: wakes a wait in flight, as `send()` does. */
  sent(): void {
    if (this.#waiting !== null) this.interrupt();
  }

  /**
   * After a first attempt failed with `error`: rethrows it unless it is EAGAIN, else waits for
   * room and retries as `send()` does. Resolves `true` once ZeroMQ took the message, `false` if
   * the socket was closed first.
   */
  sendWhenRoom(
    message: Message | Uint8Array | string | (Uint8Array | string)[],
    error: unknown,
  ): Promise<boolean> {
    return this.#sendWhenRoom(message, error);
  }

  async #sendWhenRoom(
    message: Message | Uint8Array | string | (Uint8Array | string)[],
    error: unknown,
  ): Promise<boolean> {
    if (!isAgain(error)) throw error;
    let commandsProcessed = false;
    for (;;) {
      if (commandsProcessed) {
        await this.wait();
        commandsProcessed = false;
      } else {
        // send() skips ZeroMQ's commands when it processed them less than a millisecond ago; the
        // room it waits for may be announced in one of them. Reading ZMQ_EVENTS processes them all,
        // so the FD only signals what comes after: retry once, then wait.
        (this.raw as unknown as { getUint32Option(option: number): number }).getUint32Option(
          ZMQ_EVENTS,
        );
        commandsProcessed = true;
      }
      if (this.#closed) return false;
      try {
        await (this.raw as unknown as zmq.Writable).send(message);
        return this.#sent();
      } catch (error) {
        if (!isAgain(error)) throw error;
      }
    }
  }

  /**
   * Resolves with the next message if one is queued, `null` otherwise; never waits. Like `send()`,
   * wakes a wait in flight when it took a message.
   */
  async receive(): Promise<Message | null> {
    if (this.#closed) return null;
    try {
      const message = await (this.raw as unknown as zmq.Readable).receive() as Message;
      if (this.#waiting !== null) this.interrupt();
      return message;
    } catch (error) {
      if (isAgain(error)) return null;
      throw error;
    }
  }

  /**
   * Resolves when the socket may be ready — its `ZMQ_FD` signalled — or was closed, or
   * `interrupt()` was called. The caller retries its operation: a wake-up may be spurious.
   */
  wait(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#waiting !== null) return this.#waiting;
    const c = loadLibc();
    if (this.#pipe[0] < 0) {
      if (c.pipe(new Uint8Array(this.#pipe.buffer)) !== 0) {
        throw new Error("Cannot wait for a ZeroMQ socket: pipe(2) failed");
      }
      const view = new DataView(this.#pollfds.buffer);
      view.setInt32(0, this.#fd, true);
      view.setInt16(4, POLLIN, true);
      view.setInt32(8, this.#pipe[0], true);
      view.setInt16(12, POLLIN, true);
    }
    pendingOperations++;
    this.#waiting = c.poll(this.#pollfds, pollCount, -1).then(() => {
      pendingOperations--;
      this.#wakeups++;
      this.#waiting = null;
      // revents of the wake pipe: drain it, so the next poll blocks again
      if ((this.#pollfds[14] & POLLIN) !== 0) c.read(this.#pipe[0], this.#byte, 64n);
      if (!this.#closed && this.raw.closed) this.abandon(); // closed under us: at exit, or GC
      if (this.#closed) this.#closePipe();
    });
    return this.#waiting;
  }

  /** Wakes a `wait()` in flight; does nothing if there is none. */
  interrupt(): void {
    if (this.#waiting !== null) loadLibc().write(this.#pipe[1], this.#byte, 1n);
  }

  /**
   * Stops driving the socket without calling zeromq.js (which closed it, or is about to at exit):
   * every operation then behaves as on a closed socket.
   */
  abandon(): void {
    if (this.#closed) return;
    this.#closed = true;
    openSockets--;
    live.delete(this as SafeSocket);
  }

  /**
   * Closes the socket (after setting `linger`, in ms, if given) and resolves once nothing of it is
   * pending any more. Calling it again returns at once.
   */
  async close(linger?: number): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    live.delete(this as SafeSocket);
    if (linger !== undefined) this.raw.linger = linger;
    this.raw.close();
    openSockets--;
    if (this.#waiting !== null) {
      this.interrupt();
      await this.#waiting;
    } else {
      this.#closePipe();
    }
  }

  #closePipe(): void {
    if (this.#pipe[0] < 0) return;
    const c = loadLibc();
    c.close(this.#pipe[0]);
    c.close(this.#pipe[1]);
    this.#pipe[0] = this.#pipe[1] = -1;
  }
}

/**
 * A native relay: `zmq.Proxy` moves every message from an XSUB socket to an XPUB socket (and
 * subscriptions back) on a libzmq thread, unparsed, without a JavaScript call per message.
 *
 * - The XPUB socket must be `noDrop`; the relay sets its `sendTimeout` to -1, so libzmq's thread
 *   blocks on a full queue (backpressure) instead of failing the send and losing the message. No
 *   JavaScript call ever sends on it again, so zeromq.js's own waiting is never involved.
 * - Both sockets belong to the thread until it ends; zeromq.js then closes them. They stay counted
 *   as open, and the running relay as one pending operation, until `done` settles.
 * - A relay that is not terminated keeps `deno run` alive and crashes `deno test` at exit: the
 *   owner must `terminate()` it and await `done`. At `unload`, every relay still running is
 *   terminated.
 * - `terminate()` takes effect between two messages: a thread blocked on a subscriber that never
 *   reads ends only once that subscriber reads or goes away (libzmq's proxy does not watch its
 *   control socket while a send blocks).
 */
export class Relay {
  /** Settles once the thread ended and zeromq.js closed both sockets; rejects on a libzmq error. */
  readonly done: Promise<void>;
  readonly #proxy: zmq.Proxy<zmq.XSubscriber, zmq.XPublisher>;
  #running = true;

  constructor(from: SafeSocket<zmq.XSubscriber>, to: SafeSocket<zmq.XPublisher>) {
    to.raw.sendTimeout = -1;
    this.#proxy = new zmq.Proxy(from.raw, to.raw);
    listenForUnload();
    const run = this.#proxy.run(); // throws at once when it cannot start: nothing runs then
    pendingOperations++;
    running.add(this);
    const ended = () => {
      this.#running = false;
      pendingOperations--;
      running.delete(this);
      from.abandon(); // closed by zeromq.js when the thread ended
      to.abandon();
    };
    this.done = run.then(ended, (error) => {
      ended();
      throw error;
    });
  }

  /** Whether the thread still runs. */
  get running(): boolean {
    return this.#running;
  }

  /** Tells the thread to end after the message it is relaying; `done` settles when it has. */
  terminate(): void {
    if (!this.#running) return;
    try {
      this.#proxy.terminate();
    } catch {
      // EBADF: the thread ended already; `done` is settling
    }
  }
}

/** The socket types the sockets module uses, created with the options every one of them needs. */
export function openPublisher(): SafeSocket<zmq.Publisher> {
  return new SafeSocket(new zmq.Publisher({ linger: 0, noDrop: true, sendTimeout: 0 }));
}

/**
 * A lossy PUB for a peer's heartbeat probes: they must never queue behind the peer's events, and
 * one dropped is as good as one unanswered.
 */
export function openBeacon(): SafeSocket<zmq.Publisher> {
  return new SafeSocket(
    new zmq.Publisher({ linger: 0, sendTimeout: 0, sendHighWaterMark: BEACON_QUEUE }),
  );
}

/** Heartbeat probes a beacon queues at most. */
export const BEACON_QUEUE = 4;

/** A SUB socket for a peer's incoming events. */
export function openSubscriber(): SafeSocket<zmq.Subscriber> {
  return new SafeSocket(new zmq.Subscriber({ linger: 0, receiveTimeout: 0 }));
}

/** The broker's outgoing XPUB: lossless (`noDrop`). */
export function openXPublisher(): SafeSocket<zmq.XPublisher> {
  return new SafeSocket(
    new zmq.XPublisher({ linger: 0, noDrop: true, sendTimeout: 0, receiveTimeout: 0 }),
  );
}

/** The broker's incoming XSUB. */
export function openXSubscriber(): SafeSocket<zmq.XSubscriber> {
  return new SafeSocket(new zmq.XSubscriber({ linger: 0, sendTimeout: 0, receiveTimeout: 0 }));
}

/** The errno name of a zeromq.js error, or `"EUNKNOWN"`. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "EUNKNOWN";
}
