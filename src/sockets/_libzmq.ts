/**
 * libzmq's C API through Deno FFI: the library zeromq.js loaded (its addon exports the C API),
 * found on Linux through /proc/self/maps. Sockets opened here cost a fraction of zeromq.js's per
 * call N-API promises, and their blocking calls can run on Deno's thread pool, where Deno's op
 * sanitizer sees them. Elsewhere, or without the permission to read that file, `loadLibzmq()` is
 * `null` and callers use zeromq.js.
 *
 * @module
 */

import * as zmq from "zeromq";

const SYMBOLS = {
  zmq_ctx_new: { parameters: [], result: "pointer" },
  zmq_ctx_shutdown: { parameters: ["pointer"], result: "i32" },
  zmq_ctx_term: { parameters: ["pointer"], result: "i32", nonblocking: true },
  zmq_socket: { parameters: ["pointer", "i32"], result: "pointer" },
  zmq_close: { parameters: ["pointer"], result: "i32" },
  zmq_setsockopt: { parameters: ["pointer", "i32", "buffer", "usize"], result: "i32" },
  zmq_getsockopt: { parameters: ["pointer", "i32", "buffer", "buffer"], result: "i32" },
  zmq_bind: { parameters: ["pointer", "buffer"], result: "i32" },
  zmq_connect: { parameters: ["pointer", "buffer"], result: "i32" },
  zmq_send: { parameters: ["pointer", "buffer", "usize", "i32"], result: "i32" },
  zmq_recv: { parameters: ["pointer", "buffer", "usize", "i32"], result: "i32" },
  zmq_proxy_steerable: {
    parameters: ["pointer", "pointer", "pointer", "pointer"],
    result: "i32",
    nonblocking: true,
  },
  zmq_errno: { parameters: [], result: "i32" },
  zmq_strerror: { parameters: ["i32"], result: "pointer" },
} as const;

/** The C functions, called as `lib.zmq_bind(socket, cString(endpoint))`. */
export type Libzmq = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

export const ZMQ_PAIR = 0;
export const ZMQ_PUB = 1;
export const ZMQ_SUB = 2;
export const ZMQ_XPUB = 9;
export const ZMQ_XSUB = 10;
export const ZMQ_SUBSCRIBE = 6;
export const ZMQ_RCVMORE = 13;
export const ZMQ_LINGER = 17;
export const ZMQ_SNDHWM = 23;
export const ZMQ_LAST_ENDPOINT = 32;
export const ZMQ_XPUB_NODROP = 69;
export const ZMQ_DONTWAIT = 1;
export const EAGAIN = Deno.build.os === "darwin" ? 35 : 11;
export const EINTR = 4;
/** libzmq's own errno for a context that was shut down. */
export const ETERM = 156384712 + 53;

/** The subscription to every message: ZeroMQ's subscribe command with an empty prefix. */
export const SUBSCRIBE_ALL: Uint8Array<ArrayBuffer> = new Uint8Array([1]);

let loaded: Libzmq | null | undefined;
let shared: Deno.PointerObject | null | undefined;

/** libzmq from zeromq.js's addon, or `null` when it cannot be reached. */
export function loadLibzmq(): Libzmq | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (Deno.build.os !== "linux" || zmq.version === undefined) return null;
  const maps = "/proc/self/maps";
  try {
    if (Deno.permissions.querySync({ name: "read", path: maps }).state !== "granted") return null;
    for (const line of Deno.readTextFileSync(maps).split("\n")) {
      const at = line.indexOf(" /");
      if (at >= 0 && line.endsWith("/addon.node") && line.includes("/zeromq/")) {
        loaded = Deno.dlopen(line.slice(at + 1), SYMBOLS).symbols;
        break;
      }
    }
  } catch {
    // no FFI or no such library: zeromq.js it is
  }
  return loaded;
}

/** One context for the process's FFI peer sockets, never terminated; `null` without libzmq. */
export function sharedContext(): { lib: Libzmq; context: Deno.PointerObject } | null {
  const lib = loadLibzmq();
  if (lib === null) return null;
  shared ??= lib.zmq_ctx_new();
  return shared === null ? null : { lib, context: shared };
}

/** `text` as a NUL-terminated UTF-8 string. */
export const cString = (text: string): Uint8Array<ArrayBuffer> =>
  new TextEncoder().encode(text + "\0");

/**
 * An Error saying `what` failed (when given) and why, with `errno` and, where known, `code` (its
 * name, as zeromq.js's errors have it).
 */
export function libzmqError(lib: Libzmq, what: string, errno = lib.zmq_errno()): Error {
  const text = lib.zmq_strerror(errno);
  const why = text === null ? `errno ${errno}` : Deno.UnsafePointerView.getCString(text);
  const message = what === "" ? why : `${what}: ${why}`;
  return Object.assign(new Error(message), { errno, code: ERRNO_NAMES[errno] });
}

// the errors binding, connecting and sending give on Linux, by number
const ERRNO_NAMES: Record<number, string> = {
  2: "ENOENT",
  [EAGAIN]: "EAGAIN",
  13: "EACCES",
  19: "ENODEV",
  20: "ENOTDIR",
  22: "EINVAL",
  30: "EROFS",
  36: "ENAMETOOLONG",
  93: "EPROTONOSUPPORT",
  98: "EADDRINUSE",
  99: "EADDRNOTAVAIL",
  [ETERM]: "ETERM",
};
