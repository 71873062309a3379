/**
 * What the socket benchmark's processes share: the line protocol between the bench and its child
 * processes (one JSON object per line on stdin and stdout), and lossless sending and receiving
 * with raw zeromq.js.
 *
 * Every raw socket has `sendTimeout: 0` and `receiveTimeout: 0`, so a `send()` or `receive()` that
 * cannot complete at once fails with EAGAIN instead of doing zeromq.js's readiness check. What
 * then waits for the socket is one of two {@linkcode WaitKind}s:
 *
 * - `zmq`: zeromq.js's own poller (`receiveTimeout: -1` for one `receive()`), nudged every 10 ms
 *   by an empty `send([])`, because under Deno 2.9.6 that poller can miss its wake-up: measured
 *   here, a pending `receive()` on an XSUB socket whose publisher connects meanwhile stays pending,
 *   messages queued, in about half the trials. Sending no parts sends nothing, but makes zeromq.js
 *   look at the socket again; SUB sockets cannot send, hence XSUB for the raw subscribers. A full
 *   `noDrop` publisher is retried after `setImmediate` (libzmq reports PUB sockets as always
 *   writable, so zeromq.js cannot wait for room).
 * - `poll`: `poll(2)` on the socket's `ZMQ_FD` through Deno FFI, then retry: what ZeroMQ's own
 *   docs prescribe, and what our Broker and Peer do, written here independently of them.
 *
 * @module
 */
import type * as zmq from "zeromq";
import type { Buffer } from "node:buffer";
import { setImmediate } from "node:timers";
import process from "node:process";

/** One line of the protocol: `{ "event": "ready" }`, `{ "event": "done", ... }`. */
export interface Message {
  event: string;
  [key: string]: unknown;
}

/** Splits a byte stream into lines, without the line ends. */
export async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffered = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf("\n")) !== -1) {
      yield buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
    }
  }
  if (buffered !== "") yield buffered;
}

/** Writes one protocol line to stdout (the bench reads it). */
export function tell(message: Message): void {
  console.log(JSON.stringify(message));
}

/** Reads this process's stdin as protocol lines. */
export async function* orders(): AsyncGenerator<Message> {
  for await (const line of lines(Deno.stdin.readable)) {
    if (line.trim() !== "") yield JSON.parse(line) as Message;
  }
}

/** CPU time this process used so far (user and system), in µs. */
export function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * Round trips run before the measured ones, in raw and ours alike: until V8 has compiled the
 * paths a ping takes, they are several times slower, and with 1000 pings they would be the p99.
 */
export const WARM_UP_PINGS = 200;

/** Percentile `p` (0 to 100) of ascending `sorted`. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// -- Sockets --

/** How a raw socket waits when it cannot send or receive at once (see the module doc). */
export type WaitKind = "zmq" | "poll";

type ZmqSocket = zmq.Socket & zmq.Writable & zmq.Readable;

/** A raw zeromq.js socket that sends and receives losslessly, waiting as `kind` says. */
export class RawSocket {
  /** The zeromq.js socket, for connect, bind and close. */
  readonly socket: ZmqSocket;
  readonly #poll: FdPoll | null;

  constructor(socket: zmq.Socket, kind: WaitKind) {
    this.socket = socket as ZmqSocket;
    if ("sendTimeout" in socket) this.socket.sendTimeout = 0;
    if ("receiveTimeout" in socket) this.socket.receiveTimeout = 0;
    this.#poll = kind === "poll" ? new FdPoll(socket) : null;
  }

  /** Sends `message`, waiting while the queue is full; never drops it. */
  async send(message: zmq.MessageLike | zmq.MessageLike[]): Promise<void> {
    for (let attempt = 0;; attempt++) {
      try {
        await this.socket.send(message);
        return;
      } catch (error) {
        if (!isEagain(error) || this.socket.closed) throw error;
      }
      if (this.#poll !== null) await this.#poll.wait();
      else await (attempt < 100 ? immediate() : sleep(1));
    }
  }

  /** Receives the next message, waiting for one; `undefined` once the socket is closed. */
  async receive(): Promise<Buffer[] | undefined> {
    for (;;) {
      try {
        return await this.socket.receive();
      } catch (error) {
        if (this.socket.closed) return undefined;
        if (!isEagain(error)) throw error;
      }
      if (this.#poll !== null) await this.#poll.wait();
      else return await this.#receiveWithPoller();
    }
  }

  async #receiveWithPoller(): Promise<Buffer[] | undefined> {
    const socket = this.socket;
    socket.receiveTimeout = -1;
    const nudge = setInterval(() => {
      try {
        if (!socket.closed) socket.send([]).catch(() => {});
      } catch {
        // EBUSY, thrown at once when a send is in progress: that send nudges the socket anyway
      }
    }, NUDGE_INTERVAL);
    try {
      return await socket.receive();
    } catch (error) {
      if (socket.closed) return undefined;
      throw error;
    } finally {
      clearInterval(nudge);
      if (!socket.closed) socket.receiveTimeout = 0;
    }
  }

  /** Closes the socket; a pending `receive()` resolves with `undefined`. */
  close(): void {
    this.socket.close();
  }
}

const NUDGE_INTERVAL = 10;
const ZMQ_FD = 14;
const POLLIN = 1;

function isEagain(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "EAGAIN";
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Libc {
  poll(fds: Uint8Array<ArrayBuffer>, count: number | bigint, timeout: number): Promise<number>;
}

let libc: Libc | undefined;

function loadLibc(): Libc {
  if (libc === undefined) {
    const darwin = Deno.build.os === "darwin";
    libc = Deno.dlopen(darwin ? "libSystem.B.dylib" : "libc.so.6", {
      poll: {
        parameters: ["buffer", darwin ? "u32" : "u64", "i32"],
        result: "i32",
        nonblocking: true,
      },
    }).symbols as unknown as Libc;
  }
  return libc;
}

/** poll(2) on a socket's ZMQ_FD, on Deno's blocking thread pool. */
class FdPoll {
  readonly #pollfd = new Uint8Array(8);
  readonly #count: number | bigint = Deno.build.os === "darwin" ? 1 : 1n;

  constructor(socket: zmq.Socket) {
    const fd = (socket as unknown as { getInt32Option(option: number): number })
      .getInt32Option(ZMQ_FD);
    const view = new DataView(this.#pollfd.buffer);
    view.setInt32(0, fd, true);
    view.setInt16(4, POLLIN, true);
  }

  /**
   * Resolves when ZeroMQ signals the socket (a message, room to send, or any internal command: the
   * caller retries), or after 20 ms: a send on the same socket from another task may have taken
   * the signal meant for us, and a closed socket must not leave a poll behind for long.
   */
  async wait(): Promise<void> {
    await loadLibc().poll(this.#pollfd, this.#count, 20);
  }
}
