/**
 * The wire format shared with Python MrEventLoop: every event is one ZeroMQ frame holding a
 * JSON-RPC 2.0 request, written byte for byte as Python's `json.dumps` writes it:
 *
 * ```text
 * {"jsonrpc": "2.0", "method": "two_args", "params": ["a", 1], "id": 2}
 * {"jsonrpc": "2.0", "method": "no_args", "id": 3}
 * ```
 *
 * Separators are `", "` and `": "`, keys come in the order `jsonrpc, method, params, id`,
 * `"params"` is left out when there are no arguments, and every character outside printable ASCII
 * is escaped as `\uXXXX` with lowercase hex (astral characters as a surrogate pair, lone surrogates
 * as themselves), so every frame we write is pure ASCII.
 *
 * Where JavaScript and Python values differ, we follow `JSON.stringify`:
 * - Numbers are written as `JSON.stringify` writes them. JavaScript has one number type, so `1.0`
 *   is written `1` (Python writes a float `1.0`), and `1e-7` is written `1e-7` (Python: `1e-07`).
 *   Python reads both back as the same value.
 * - `NaN`, `Infinity` and `-Infinity` are rejected: Python writes them as bare `NaN`/`Infinity`,
 *   which is not JSON, so `JSON.parse` (and any strict reader) would refuse the whole frame on the
 *   receiving side, far from the code that sent it.
 * - `toJSON()` is honoured (a `Date` is sent as its ISO string), called with the argument index,
 *   array index or property name as its key.
 * - `undefined` is written `null` where a position must be kept (an argument, an array element),
 *   and an object property holding `undefined` is left out, so `publish.x(undefined)` still
 *   arrives with one argument.
 * - What JSON cannot represent is rejected with a `TypeError` naming the event, instead of being
 *   dropped or turned into `{}` as `JSON.stringify` would: BigInt, functions, symbols, cycles,
 *   non-finite numbers, and objects whose data is not in their own properties (`Map`, `Set`,
 *   `WeakMap`, `WeakSet`, `WeakRef`, `Promise`, `RegExp`, `Error`, `ArrayBuffer`, typed arrays,
 *   `DataView`), unless they define `toJSON()`.
 *
 * Decoding accepts everything a Python peer may send and never throws: see {@linkcode decodeFrame}.
 *
 * Internal: not exported from `sockets.ts`.
 *
 * @module
 */

// -- Request ids --

let lastRequestId = 0;

/**
 * Returns the next id of this process's one request counter: 1 for the first request written by
 * any peer in this process, then 2, 3, ... Ids are never reused while the process lives.
 */
export function nextRequestId(): number {
  return ++lastRequestId;
}

// -- Encoding --

// JSON.stringify already writes quotes, backslashes, control characters and lone surrogates as
// json.dumps does (short escapes, else lowercase \u00XX). What it leaves raw and json.dumps escapes
// is DEL and everything above it, escaped here one UTF-16 code unit at a time: an astral character
// becomes the surrogate pair json.dumps writes.
const RAW_NON_ASCII = /[\u007f-\uffff]/;
const HEX_BYTE: readonly string[] = Array.from(
  { length: 256 },
  (_, i) => (i < 16 ? "0" : "") + i.toString(16),
);

// printable ASCII except `"` and `\`: the strings written as they are, between quotes
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Writes `text` as a JSON string, exactly as Python's `json.dumps` writes it (pure ASCII). */
export function quote(text: string): string {
  // Most strings need no escape. Checking that in a loop is ~4x faster than JSON.stringify for
  // short strings, and a regex test is faster for long ones.
  const length = text.length;
  if (length <= 32) {
    let i = 0;
    while (i < length) {
      const code = text.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) break;
      i++;
    }
    if (i === length) return '"' + text + '"';
  } else if (PLAIN.test(text)) return '"' + text + '"';
  const json = JSON.stringify(text);
  const first = RAW_NON_ASCII.exec(json);
  if (first === null) return json;
  // a loop over slices: about twice as fast as json.replace(regex, callback)
  let out = "";
  let start = 0;
  for (let i = first.index; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code >= 0x7f) {
      out += json.slice(start, i) + "\\u" + HEX_BYTE[code >> 8] + HEX_BYTE[code & 0xff];
      start = i + 1;
    }
  }
  return out + json.slice(start);
}

/**
 * The bytes every frame of event `method` starts with, to subscribe with at a ZeroMQ `SUB` socket:
 * `{"jsonrpc": "2.0", "method": "produced"`.
 *
 * The prefix ends with the closing quote of the name, so it matches `produced` and never
 * `produced_twice`, and it matches frames whose method is followed by `", "` (every frame we or
 * Python peers write) as well as `}` (a notification without params written by json.dumps).
 * Frames written with other spacing or key order, and batches, do not match it.
 */
export function subscriptionPrefix(method: string): string {
  return '{"jsonrpc": "2.0", "method": ' + quote(method);
}

/** Thrown inside the writer and turned into a TypeError naming the event and argument. */
class Unwritable {
  path = "";
  constructor(readonly what: string) {}
}

function writeNumber(value: number): string {
  if (Number.isFinite(value)) return "" + value;
  throw new Unwritable(value !== value ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
}

/**
 * Writes `value` as json.dumps would, or returns undefined where JSON.stringify would skip the
 * value (undefined, or a toJSON() that returned undefined); the caller decides what that means.
 */
function writeValue(value: unknown, key: string | number, stack: object[]): string | undefined {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return writeNumber(value);
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return undefined;
    case "object":
      if (value === null) return "null";
      if (hasToJSON(value)) return writeReplaced(value.toJSON("" + key), stack);
      return writeObject(value, stack);
    case "bigint":
      // JSON.stringify honours a BigInt.prototype.toJSON installed by the application.
      if (hasToJSON(value)) return writeReplaced(value.toJSON("" + key), stack);
      throw new Unwritable("a BigInt");
    case "function":
      throw new Unwritable("a function");
    default:
      throw new Unwritable("a symbol");
  }
}

function hasToJSON(value: unknown): value is { toJSON(key: string): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === "function";
}

/** Writes what toJSON() returned: like writeValue, but toJSON() is not called a second time. */
function writeReplaced(value: unknown, stack: object[]): string | undefined {
  if (typeof value === "object" && value !== null) return writeObject(value, stack);
  return writeValue(value, "", stack);
}

function writeObject(value: object, stack: object[]): string {
  if (stack.includes(value)) throw new Unwritable("a cycle");
  if (Array.isArray(value)) return writeArray(value, stack);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const unboxed = writeBoxed(value);
    if (unboxed !== undefined) return unboxed;
  }
  stack.push(value);
  const keys = Object.keys(value);
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    let written: string | undefined;
    try {
      written = writeValue((value as Record<string, unknown>)[key], key, stack);
    } catch (error) {
      if (error instanceof Unwritable) {
        error.path = (IDENTIFIER.test(key) ? "." + key : "[" + quote(key) + "]") + error.path;
      }
      throw error;
    }
    if (written === undefined) continue;
    out += (out.length === 1 ? "" : ", ") + quote(key) + ": " + written;
  }
  stack.pop();
  return out + "}";
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function writeArray(value: unknown[], stack: object[]): string {
  const length = value.length;
  if (length === 0) return "[]";
  stack.push(value);
  let out = "[";
  for (let i = 0; i < length; i++) {
    let written: string | undefined;
    try {
      written = writeValue(value[i], i, stack);
    } catch (error) {
      if (error instanceof Unwritable) error.path = "[" + i + "]" + error.path;
      throw error;
    }
    out += (i === 0 ? "" : ", ") + (written === undefined ? "null" : written);
  }
  stack.pop();
  return out + "]";
}

/**
 * Boxed primitives are written as their primitive, as JSON.stringify does; objects whose data JSON
 * cannot see throw; anything else (a class instance) returns undefined: written by its own
 * enumerable properties.
 */
function writeBoxed(value: object): string | undefined {
  if (value instanceof String) return quote(String(value));
  if (value instanceof Number) return writeNumber(Number(value));
  if (value instanceof Boolean) return value.valueOf() ? "true" : "false";
  if (
    value instanceof BigInt || value instanceof Map || value instanceof Set ||
    value instanceof WeakMap || value instanceof WeakSet || value instanceof WeakRef ||
    value instanceof Promise || value instanceof RegExp || value instanceof Error ||
    value instanceof ArrayBuffer || value instanceof SharedArrayBuffer || ArrayBuffer.isView(value)
  ) {
    const tag = Object.prototype.toString.call(value).slice(8, -1);
    throw new Unwritable((/^[AEIO]/.test(tag) ? "an " : "a ") + tag);
  }
  return undefined;
}

function writeArgument(method: string, value: unknown, index: number): string {
  try {
    return writeValue(value, index, []) ?? "null";
  } catch (error) {
    if (error instanceof Unwritable) {
      const where = error.path === "" ? "" : " at " + error.path;
      throw new TypeError(
        `Cannot publish ${method}: argument ${index} contains ${error.what}${where}`,
      );
    }
    if (error instanceof RangeError) {
      throw new TypeError(
        `Cannot publish ${method}: argument ${index} is too deep or too large to write as JSON`,
        { cause: error },
      );
    }
    throw error; // thrown by the application's own toJSON() or getter
  }
}

/**
 * Writes the frames of one event: `new RequestEncoder("produced").encode(["some product"], 1)`
 * returns `{"jsonrpc": "2.0", "method": "produced", "params": ["some product"], "id": 1}`. A peer
 * keeps one per event it publishes, so what depends only on the event name is written once.
 */
export class RequestEncoder {
  /** The event name, written as the request's `"method"`. */
  readonly method: string;
  readonly #withParams: string;
  readonly #withoutParams: string;

  /** Prepares the frames of event `method`; throws a TypeError when `method` is not a string. */
  constructor(method: string) {
    if (typeof method !== "string") {
      throw new TypeError(
        `Cannot encode requests: the method must be a string, received ${method}`,
      );
    }
    this.method = method;
    const prefix = subscriptionPrefix(method);
    this.#withParams = prefix + ', "params": [';
    this.#withoutParams = prefix + ', "id": ';
  }

  /**
   * Returns the frame publishing this event with `args`, as an ASCII string (zeromq.js sends a
   * string as its UTF-8 bytes, here identical to its characters). `id` defaults to
   * {@linkcode nextRequestId}.
   *
   * Throws a TypeError naming the event, the argument and where in it, when an argument cannot be
   * written as JSON (see the module doc); errors thrown by an argument's own `toJSON()` or getters
   * propagate unchanged.
   */
  encode(args: ArrayLike<unknown>, id: number = nextRequestId()): string {
    const length = args.length;
    if (length === 0) return this.#withoutParams + id + "}";
    let out = this.#withParams;
    for (let i = 0; i < length; i++) {
      const arg = args[i];
      let written: string;
      // the common kinds inline; everything else, and every failure, in writeArgument
      if (typeof arg === "string") written = quote(arg);
      else if (typeof arg === "number" && Number.isFinite(arg)) written = "" + arg;
      else if (typeof arg === "boolean") written = arg ? "true" : "false";
      else if (arg === null) written = "null";
      else written = writeArgument(this.method, arg, i);
      out += i === 0 ? written : ", " + written;
    }
    return out + '], "id": ' + id + "}";
  }
}

/**
 * Returns the frame publishing event `method` with `args`; {@linkcode RequestEncoder} is the
 * faster form for an event published repeatedly. Throws like {@linkcode RequestEncoder.encode}.
 */
export function encodeRequest(
  method: string,
  args: ArrayLike<unknown>,
  id: number = nextRequestId(),
): string {
  return new RequestEncoder(method).encode(args, id);
}

// -- Decoding --

/** The size limit of {@linkcode decodeFrame} unless `maxFrameBytes` says otherwise: 16 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Options of {@linkcode decodeFrame}. */
export interface DecodeOptions {
  /**
   * Frames longer than this many bytes are not decoded but reported as `"too-large"`, so a huge
   * frame cannot stall the receiving process in `JSON.parse`. Default
   * {@linkcode DEFAULT_MAX_FRAME_BYTES}.
   */
  readonly maxFrameBytes?: number;
}

/** One event received: the request's method and its arguments. */
export interface DecodedRequest {
  /** Tells a request from a {@linkcode FrameFailure}. */
  readonly ok: true;
  /** The event name. */
  readonly method: string;
  /**
   * The arguments: `params` when it is an array, `[params]` when it is an object (Python passes
   * those as keyword arguments; here the object arrives as one argument), `[]` when absent.
   */
  readonly args: readonly unknown[];
}

/** What was wrong with a frame (or with one request of a batch). */
export type FrameProblem = "too-large" | "not-utf8" | "not-json" | "not-json-rpc";

/** A frame, or one request of a batch, that could not be read as an event. */
export interface FrameFailure {
  /** Tells a failure from a {@linkcode DecodedRequest}. */
  readonly ok: false;
  /** The kind of problem, for code. */
  readonly problem: FrameProblem;
  /** What was wrong, for people: `"method" is not a string, received 42`. */
  readonly reason: string;
  /**
   * The start of the frame (or of the batch entry), printable ASCII only: other bytes shown as
   * `\xNN`, or other characters as `\uXXXX`, and `...` when cut short.
   */
  readonly excerpt: string;
}

/** The outcome of one request in a frame. */
export type Decoded = DecodedRequest | FrameFailure;

const NO_ARGS: readonly unknown[] = Object.freeze([]);
const EXCERPT_LENGTH = 80;
const lenient = new TextDecoder();
const strict = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads one ZeroMQ frame and appends to `into` one {@linkcode Decoded} per request in it (a batch,
 * that is a JSON array of requests, gives one per entry, in order); returns how many it appended.
 *
 * Accepts what Python peers send: requests with or without `id` (notifications), `params` absent,
 * an array or an object. Never throws: a frame over the size limit, not UTF-8, not JSON, or not a
 * JSON-RPC 2.0 request (no `"jsonrpc": "2.0"`, a method that is not a string, `params` neither
 * array nor object, an empty batch) appends one {@linkcode FrameFailure}; in a batch, each bad
 * entry appends its own failure and the good ones are still decoded. `id` is not checked.
 *
 * Appending to a caller-owned array lets the caller reuse one array for every frame.
 */
export function decodeFrame(frame: Uint8Array, into: Decoded[], options?: DecodeOptions): number {
  const limit = options?.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (frame.length > limit) {
    return fail(
      into,
      "too-large",
      `frame of ${frame.length} bytes exceeds the limit of ${limit} bytes`,
      bytesExcerpt(frame),
    );
  }
  let text: string;
  try {
    // The lenient decoder is about twice as fast as the strict one (and JSON.parse reads its
    // strings faster); U+FFFD in its output means bad bytes, or a real U+FFFD, which only the
    // strict decoder can tell apart. Frames we and Python write are ASCII: never U+FFFD.
    text = lenient.decode(frame);
    if (text.indexOf("\ufffd") !== -1) text = strict.decode(frame);
  } catch {
    return fail(into, "not-utf8", "frame is not valid UTF-8", bytesExcerpt(frame));
  }
  const written = readAsWritten(text);
  if (written !== null) {
    into.push(written);
    return 1;
  }
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return fail(into, "not-json", "frame is not JSON: " + printable(why, 120), printable(text));
  }
  if (!Array.isArray(message)) {
    const request = readRequest(message);
    if (typeof request !== "string") {
      into.push(request);
      return 1;
    }
    return fail(into, "not-json-rpc", "not a JSON-RPC 2.0 request: " + request, printable(text));
  }
  if (message.length === 0) {
    return fail(into, "not-json-rpc", "not a JSON-RPC 2.0 request: empty batch", printable(text));
  }
  for (let i = 0; i < message.length; i++) {
    const request = readRequest(message[i]);
    if (typeof request !== "string") into.push(request);
    else {
      fail(
        into,
        "not-json-rpc",
        `batch entry ${i} is not a JSON-RPC 2.0 request: ${request}`,
        entryExcerpt(message[i]),
      );
    }
  }
  return message.length;
}

const WRITTEN_PREFIX = '{"jsonrpc": "2.0", "method": "';
const WRITTEN_PARAMS = ', "params": ';
const WRITTEN_ID = ', "id": ';

/**
 * The fast path for a frame as our peers and Python's `json.dumps` write it: `WRITTEN_PREFIX`, a
 * method without escapes, then `, "params": <value>`, `, "id": <digits>`, or both, then `}`. Only
 * `params` goes through `JSON.parse`, and the request object is never built. Returns `null` for
 * anything else, which the general path then reads (or reports). Exact: `JSON.parse` of a slice
 * accepts a single JSON value only, so what is accepted here is that one object, with one key each.
 */
function readAsWritten(text: string): DecodedRequest | null {
  if (!text.startsWith(WRITTEN_PREFIX)) return null;
  const start = WRITTEN_PREFIX.length;
  let at = start;
  for (;; at++) {
    if (at === text.length) return null;
    const code = text.charCodeAt(at);
    if (code === 0x22) break; // the closing quote
    if (code < 0x20 || code === 0x5c) return null; // a control character or an escape
  }
  const method = text.slice(start, at);
  at++;
  if (text.charCodeAt(text.length - 1) !== 0x7d) return null; // "}"
  let end = text.length - 1;
  // an id of plain digits, without leading zeros, at the end
  const id = text.lastIndexOf(WRITTEN_ID, end);
  if (id >= at) {
    const digits = id + WRITTEN_ID.length;
    if (digits === end || (text.charCodeAt(digits) === 0x30 && end - digits > 1)) return null;
    for (let i = digits; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x30 || code > 0x39) return null;
    }
    end = id;
  }
  if (at === end) return { ok: true, method, args: NO_ARGS };
  if (!text.startsWith(WRITTEN_PARAMS, at)) return null;
  let params: unknown;
  try {
    params = JSON.parse(text.slice(at + WRITTEN_PARAMS.length, end));
  } catch {
    return null;
  }
  if (Array.isArray(params)) return { ok: true, method, args: params };
  if (typeof params === "object" && params !== null) return { ok: true, method, args: [params] };
  return null;
}

/** Returns the request, or why `message` is not one. */
function readRequest(message: unknown): DecodedRequest | string {
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    return "expected an object, received " + describe(message);
  }
  const { jsonrpc, method, params } = message as Record<string, unknown>;
  if (jsonrpc !== "2.0") {
    return jsonrpc === undefined
      ? '"jsonrpc" is missing'
      : '"jsonrpc" is not "2.0", received ' + describe(jsonrpc);
  }
  if (typeof method !== "string") {
    return method === undefined
      ? '"method" is missing'
      : '"method" is not a string, received ' + describe(method);
  }
  let args: readonly unknown[];
  if (params === undefined) args = NO_ARGS;
  else if (Array.isArray(params)) args = params;
  else if (typeof params === "object" && params !== null) args = [params];
  else return '"params" is neither an array nor an object, received ' + describe(params);
  return { ok: true, method, args };
}

function fail(into: Decoded[], problem: FrameProblem, reason: string, excerpt: string): 1 {
  into.push({ ok: false, problem, reason, excerpt });
  return 1;
}

/** A short printable description of a parsed JSON value, for failure reasons. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "an object";
  return printable(JSON.stringify(value), 40);
}

/** The start of `text` in printable ASCII: other characters as `\n`, `\t`, `\r` or `\uXXXX`. */
function printable(text: string, length = EXCERPT_LENGTH): string {
  let out = "";
  const end = Math.min(text.length, length);
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code < 0x7f) out += text[i];
    else if (code === 0x0a) out += "\\n";
    else if (code === 0x0d) out += "\\r";
    else if (code === 0x09) out += "\\t";
    else out += "\\u" + code.toString(16).padStart(4, "0");
  }
  return text.length > length ? out + "..." : out;
}

/** The start of a batch entry, written back as JSON. */
function entryExcerpt(entry: unknown): string {
  try {
    return printable(JSON.stringify(entry));
  } catch {
    return "(too deeply nested to show)"; // JSON.stringify recurses; JSON.parse does not
  }
}

/** The start of `bytes` in printable ASCII: other bytes as `\xNN`. */
function bytesExcerpt(bytes: Uint8Array): string {
  let out = "";
  const end = Math.min(bytes.length, EXCERPT_LENGTH);
  for (let i = 0; i < end; i++) {
    const byte = bytes[i];
    if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += "\\x" + byte.toString(16).padStart(2, "0");
  }
  return bytes.length > EXCERPT_LENGTH ? out + "..." : out;
}
