/**
 * `Peer`: publishes events to a `Broker` and emits the events it subscribed to, so events and
 * slots connect across processes as they do in one.
 *
 * @module
 */

import { Event, type EventMap } from "../event.ts";
import { Events } from "../events.ts";
import {
  type Decoded,
  decodeFrame,
  DEFAULT_MAX_FRAME_BYTES,
  RequestEncoder,
  subscriptionPrefix,
} from "./codec.ts";
import { checkEndpoint } from "./endpoints.ts";
import { BrokerLostError, FrameError, PeerStartError } from "./errors.ts";
import { delay, type Message, nextTurn, type SafeSocket } from "./_zmq.ts";
import { openPeerSubscriber, receiveEach } from "./_peer_subscriber.ts";
import { openPeerBeacon, openPeerPublisher } from "./_peer_publisher.ts";
import { MAX_BATCH_BYTES, OutgoingQueue } from "./_outgoing.ts";

/** Options of `new Peer(inEndpoint, outEndpoint, subscribe, publish, options)`. */
export interface PeerOptions<Sub extends EventMap = EventMap> {
  /**
   * Frames longer than this many bytes are reported on `frameError` instead of being decoded.
   * Default 16 MiB; at least 64 KiB, the largest batch a peer sends (a RangeError otherwise).
   */
  maxFrameBytes?: number;
  /**
   * The longest, in milliseconds, `stop()` waits for the broker to confirm that it relayed every
   * event this peer published, before closing anyway and reporting on `brokerLost`. It gives up
   * sooner when the heartbeat finds the broker gone. Default 10000.
   */
  stopTimeout?: number;
  /**
   * How often, in milliseconds, a peer checks that its broker answers, from `start()` until
   * `stop()` ends; after three periods without any sign of the broker it reports on `brokerLost`.
   * The checks travel on a socket of their own, so they are answered at once even while the
   * peer's events queue up behind a slow subscriber. 0 turns the check off. Default 1000.
   */
  heartbeat?: number;
  /**
   * The number of arguments each subscribed event must carry; a frame with another count is
   * reported on `frameError` and not emitted. Events not listed take any number.
   */
  argumentCounts?: { readonly [K in keyof Sub & string]?: number };
}

/** Options of `peer.start(options)`. */
export interface PeerStartOptions {
  /** Gives up (rejecting with a `PeerStartError` whose `cause` is the reason) when aborted. */
  signal?: AbortSignal;
  /**
   * Gives up after this many milliseconds without an answer from a broker; `Infinity` waits as
   * long as it takes. Default 10000.
   */
  timeout?: number;
}

/**
 * The event map of a peer that receives or publishes nothing: `Peer<Products, NoEvents>`.
 *
 * @example A peer that only publishes
 * ```ts
 * import { type NoEvents, Peer } from "@mreventloop/core/sockets";
 * import assert from "node:assert/strict";
 * const peer = new Peer<NoEvents, { produced: [product: string] }>(
 *   "ipc:///tmp/in",
 *   "ipc:///tmp/out",
 *   [],
 *   ["produced"],
 * );
 * assert.equal(typeof peer.publish.produced, "function");
 * ```
 */
export type NoEvents = Record<never, never>;

/** `peer.publish`: one function per published event; calling it publishes the event. */
export type PublishFunctions<M extends EventMap> = {
  readonly [K in keyof M & string]: (...args: M[K]) => void;
};

const NEW = 0;
const STARTING = 1;
const STARTED = 2;
const STOPPING = 3;
const STOPPED = 4;

/** Heartbeat periods without a frame from the broker before it is reported lost. */
const SILENT_BEATS = 3;
const BATCH_START = 0x5b; // "["

/**
 * Connects to a `Broker` on the same two endpoints: receives from the first, publishes to the
 * second. `peer.publish.<name>(...args)` publishes an event to every peer subscribed to it, and
 * `peer.events.<name>` emits every event received, so a peer is a `connect` emitter of its
 * subscribed events and `peer.publish` a `connect` receiver for its published ones.
 *
 * - `start()` resolves only once the peer can both send and receive through the broker (it sends
 *   probe frames until one comes back): an event published by any started peer after its
 *   `start()` resolved reaches every started subscriber. It rejects with a `PeerStartError`
 *   naming both endpoints after `timeout` ms or when `signal` aborts.
 * - Publishing is synchronous for the caller and never loses events: the arguments are written as
 *   JSON at once (an argument that cannot be JSON throws a TypeError naming the event), queued,
 *   and handed to ZeroMQ in a microtask; consecutive events of one name published in one tick go
 *   out as one batch (a JSON-RPC batch: one frame holding a JSON array of requests, at most 512
 *   of them and 64 KiB). Never as one multipart message: libzmq 4.3.5 aborts the process when a
 *   connection closes while its socket is closing in the middle of sending one (libzmq issue
 *   #3442, seen here when a broker and peers in one process stop mid-stream). Subscribers filter
 *   batches by the name of their first event. A full queue anywhere between publisher and
 *   subscriber is waited out, never dropped. Events from one peer arrive in the order they were
 *   published. `await peer.flush()` waits until everything published so far was handed to ZeroMQ.
 * - Received events are emitted synchronously on `peer.events`; slots connected to them are queued
 *   on their event loops as usual. A listener that throws is reported as an uncaught error
 *   (`reportError`), and the events after it are still delivered.
 * - Bad frames from the network (not UTF-8, not JSON, not JSON-RPC, an event not subscribed to, a
 *   wrong argument count, too large) are reported once each on `frameError`, never thrown.
 * - A broker that stops answering is reported on `brokerLost`; ZeroMQ keeps reconnecting.
 * - `stop()` (or leaving an `await using` scope) hands every queued event to ZeroMQ, waits for the
 *   broker to confirm it relayed them all — for as long as the broker answers, at most
 *   `stopTimeout` ms, reporting on `brokerLost` otherwise — then closes its sockets.
 *
 * The wire format is Python MrEventLoop's: a JSON-RPC 2.0 request per frame (or a batch of them),
 * written byte for byte as Python's `json.dumps` writes it, so Python peers on the same broker
 * interoperate.
 *
 * @typeParam Sub The events received, with their arguments; untyped when omitted.
 * @typeParam Pub The events published, with their arguments; untyped when omitted.
 *
 * @example A producer and a consumer crossing a broker
 * ```ts
 * import { Broker, type NoEvents, Peer } from "@mreventloop/core/sockets";
 * import { connect, SyncEvent } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 *
 * type Products = { produced: [product: string] };
 * const dir = await Deno.makeTempDir();
 * const [inEndpoint, outEndpoint] = [`ipc://${dir}/in`, `ipc://${dir}/out`];
 * {
 *   await using _broker = await new Broker(inEndpoint, outEndpoint).start();
 *   await using consumer = await new Peer<Products, NoEvents>(inEndpoint, outEndpoint, ["produced"], [])
 *     .start();
 *   await using producer = await new Peer<NoEvents, Products>(inEndpoint, outEndpoint, [], ["produced"])
 *     .start();
 *   const seen: string[] = [];
 *   connect(consumer, "produced", (product) => seen.push(product));
 *   const next = new SyncEvent(consumer.events.produced, { timeout: 5000 });
 *   producer.publish.produced("some product");
 *   assert.equal(await next, "some product");
 *   assert.deepEqual(seen, ["some product"]);
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class Peer<Sub extends EventMap = EventMap, Pub extends EventMap = EventMap>
  implements AsyncDisposable {
  /** The received events: one `Event` per subscribed name, emitted as frames arrive. */
  readonly events: Events<Sub>;
  /** One function per published name: `peer.publish.produced("cake")` publishes `produced`. */
  readonly publish: PublishFunctions<Pub>;
  /** Emitted once for every bad frame received (and every bad entry of a batch). */
  readonly frameError: Event<[error: FrameError]>;
  /** Emitted when the broker stops answering, and when `stop()` cannot confirm delivery. */
  readonly brokerLost: Event<[error: BrokerLostError]>;

  readonly #inEndpoint: string;
  readonly #outEndpoint: string;
  readonly #subscribed: readonly string[];
  readonly #handlers = new Map<string, Event>();
  readonly #argumentCounts: { readonly [name: string]: number | undefined };
  readonly #decodeOptions: { maxFrameBytes: number };
  readonly #stopTimeout: number;
  readonly #heartbeat: number;
  readonly #decoded: Decoded[] = [];

  #state = NEW;
  #sub: SafeSocket | null = null;
  #pub: SafeSocket | null = null;
  #beacon: SafeSocket | null = null;
  #receiving: Promise<void> | null = null;
  #receiveDone = false;
  #starting: Promise<this> | null = null;
  #stopping: Promise<void> | null = null;

  readonly #outgoing = new OutgoingQueue();
  #flushScheduled = false;
  #flushing: Promise<void> | null = null;

  // probes: notifications of a method unique to this peer, which only this peer subscribes to
  readonly #probeMethod: string;
  readonly #probePrefix: string;
  readonly #beatFrame: string;
  #probeSent = 0;
  #probeAnswered = 0;
  #probeWaiter: { seq: number; resolve: () => void } | null = null;

  // heartbeat
  #heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  #heard = false;
  #silentBeats = 0;
  #lostReported = false;
  #onLost: (() => void) | null = null;

  /**
   * Prepares a peer; nothing is opened before `start()`.
   *
   * @param inEndpoint The broker endpoint to receive from (the broker's first endpoint).
   * @param outEndpoint The broker endpoint to publish to (the broker's second endpoint).
   * @param subscribe The names of the events to receive, emitted on `peer.events`.
   * @param publish The names of the events to publish, functions of `peer.publish`.
   * @throws {TypeError} for an endpoint that is not one, or names that are not a list of distinct
   * non-empty strings.
   */
  constructor(
    inEndpoint: string,
    outEndpoint: string,
    subscribe: readonly (keyof Sub & string)[],
    publish: readonly (keyof Pub & string)[],
    options: PeerOptions<Sub> = {},
  ) {
    this.#inEndpoint = checkEndpoint("Peer: inEndpoint", inEndpoint);
    this.#outEndpoint = checkEndpoint("Peer: outEndpoint", outEndpoint);
    this.#subscribed = checkNames("subscribe", subscribe);
    const published = checkNames("publish", publish);
    this.#stopTimeout = checkMilliseconds("stopTimeout", options.stopTimeout ?? 10_000);
    this.#heartbeat = checkMilliseconds("heartbeat", options.heartbeat ?? 1000);
    this.#decodeOptions = {
      maxFrameBytes: checkMaxFrameBytes(options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES),
    };
    this.#argumentCounts = { ...options.argumentCounts };

    this.events = new Events<Sub>(this.#subscribed as (keyof Sub & string)[]);
    for (const name of this.#subscribed) {
      this.#handlers.set(name, (this.events as unknown as Record<string, Event>)[name]);
    }
    const functions: Record<string, (...args: unknown[]) => void> = {};
    for (const name of published) {
      const encoder = new RequestEncoder(name);
      functions[name] = (...args: unknown[]): void => {
        this.#enqueue(name, encoder.encode(args));
      };
    }
    this.publish = Object.freeze(functions) as unknown as PublishFunctions<Pub>;
    this.frameError = new Event("frameError");
    this.brokerLost = new Event("brokerLost");

    this.#probeMethod = "mreventloop.probe." + crypto.randomUUID().replaceAll("-", "");
    this.#probePrefix = subscriptionPrefix(this.#probeMethod);
    this.#beatFrame = this.#probePrefix + ', "params": ["beat"]}';
  }

  /** The endpoint the peer receives from. */
  get inEndpoint(): string {
    return this.#inEndpoint;
  }

  /** The endpoint the peer publishes to. */
  get outEndpoint(): string {
    return this.#outEndpoint;
  }

  // -- Lifetime --

  /**
   * Connects to the broker and resolves with the peer once it can both send and receive through
   * it. Events published before are sent then.
   *
   * @throws {PeerStartError} naming both endpoints when no broker answered within `timeout` ms
   * (default 10000) or `signal` aborted; everything opened is closed again, and `start()` may be
   * called again later.
   * @throws {Error} when the peer is starting, started or stopped.
   */
  start(options: PeerStartOptions = {}): Promise<this> {
    if (this.#state !== NEW) {
      return Promise.reject(
        new Error(
          `Cannot start Peer on ${this.#inEndpoint}: it is ${STATE_NAMES[this.#state]}`,
        ),
      );
    }
    const timeout = options.timeout === Infinity
      ? Infinity
      : checkMilliseconds("start() timeout", options.timeout ?? 10_000);
    this.#state = STARTING;
    this.#starting = this.#start(options.signal, timeout);
    return this.#starting;
  }

  async #start(signal: AbortSignal | undefined, timeout: number): Promise<this> {
    const giveUp = Promise.withResolvers<never>();
    giveUp.promise.catch(() => {});
    const onAbort = () =>
      giveUp.reject(
        new PeerStartError(this.#inEndpoint, this.#outEndpoint, "the start was aborted", {
          cause: signal!.reason,
        }),
      );
    const timer = timeout === Infinity ? undefined : setTimeout(
      () =>
        giveUp.reject(
          new PeerStartError(this.#inEndpoint, this.#outEndpoint, `no answer within ${timeout} ms`),
        ),
      timeout,
    );
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
    try {
      this.#open();
      const answered = this.#awaitProbe(this.#probeSent + 1);
      let interval = 1;
      for (;;) {
        const pause = delay(interval);
        const sent = this.#sendProbe();
        const outcome = await Promise.race([
          answered.then(() => true),
          pause.promise,
          giveUp.promise,
        ]);
        pause.cancel();
        if (outcome === true) break;
        await Promise.race([sent, giveUp.promise]);
        interval = Math.min(interval * 2, 100);
      }
    } catch (error) {
      await this.#close();
      this.#probeWaiter = null;
      this.#state = NEW;
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
    this.#state = STARTED;
    this.#startHeartbeat();
    this.#startFlush();
    return this;
  }

  #open(): void {
    this.#receiveDone = false;
    const sub = openPeerSubscriber(this.#decodeOptions.maxFrameBytes);
    this.#sub = sub;
    try {
      const raw = sub.raw;
      for (const name of this.#subscribed) {
        raw.subscribe(subscriptionPrefix(name));
        raw.subscribe("[" + subscriptionPrefix(name)); // batches led by an event of that name
      }
      raw.subscribe(this.#probePrefix); // last: once it works at the broker, all before it do
      raw.connect(this.#inEndpoint);
      const pub = this.#pub = openPeerPublisher();
      pub.raw.connect(this.#outEndpoint);
      if (this.#heartbeat > 0) {
        const beacon = this.#beacon = openPeerBeacon();
        beacon.raw.connect(this.#outEndpoint);
      }
    } catch (error) {
      throw new PeerStartError(
        this.#inEndpoint,
        this.#outEndpoint,
        `cannot connect: ${error instanceof Error ? error.message : error}`,
        { cause: error },
      );
    }
    this.#receiving = receiveEach(sub, this.#onMessage, () => this.#receiveDone).catch((error) =>
      console.error(`Peer on ${this.#inEndpoint} stopped receiving:`, error)
    );
  }

  /**
   * Stops the peer: hands every queued event to ZeroMQ, waits for the broker to confirm it relayed
   * them (while the broker answers, at most `stopTimeout` ms), reporting on `brokerLost` if it does
   * not, and closes its sockets. Publishing afterwards throws. Calling it again returns the same
   * promise.
   */
  stop(): Promise<void> {
    if (this.#stopping === null) this.#stopping = this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    if (this.#state === STARTING) await this.#starting!.catch(() => {});
    if (this.#state !== STARTED) {
      this.#state = STOPPED;
      return;
    }
    this.#state = STOPPING;
    const outOfTime = delay(this.#stopTimeout);
    const gone = Promise.withResolvers<void>();
    if (this.#lostReported) gone.resolve();
    else this.#onLost = gone.resolve;
    const drained = this.flush().then(() => {
      if (this.#pub === null || this.#pub.closed) return false;
      const answered = this.#awaitProbe(this.#probeSent + 1);
      this.#sendProbe();
      return answered.then(() => true);
    });
    drained.catch(() => {});
    const outcome = await Promise.race([
      drained,
      outOfTime.promise.then(() => "out of time"),
      gone.promise.then(() => "gone"),
    ]);
    outOfTime.cancel();
    this.#onLost = null;
    clearInterval(this.#heartbeatTimer);
    if (outcome !== true) {
      this.#reportLost(
        outcome === "gone"
          ? "the broker stopped answering before it confirmed that it relayed every event published"
          : `the broker did not confirm within ${this.#stopTimeout} ms that it relayed every event published`,
      );
    }
    await this.#close();
    this.#state = STOPPED;
  }

  async #close(): Promise<void> {
    this.#receiveDone = true;
    await this.#pub?.close();
    await this.#beacon?.close();
    await this.#sub?.close();
    await this.#flushing;
    await this.#receiving;
    this.#pub = this.#sub = this.#beacon = null;
    this.#receiving = null;
  }

  /** Stops the peer at the end of an `await using` scope; see `stop()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  // -- Publishing --

  /**
   * Resolves once every event published so far has been handed to ZeroMQ (and then waits for
   * nothing else; delivery follows unless the broker goes away).
   *
   * @throws {Error} when the peer was never started.
   */
  flush(): Promise<void> {
    if (this.#state === NEW) {
      return Promise.reject(
        new Error(`Cannot flush Peer on ${this.#outEndpoint}: it is not started`),
      );
    }
    if (this.#state === STARTING) return this.#starting!.then(() => this.flush());
    this.#startFlush();
    // a flush in progress sends every run queued before it ends, later ones included
    return this.#flushing ?? DONE;
  }

  #enqueue(name: string, frame: string): void {
    if (this.#state >= STOPPING) {
      throw new Error(
        `Cannot publish ${name}: the Peer on ${this.#outEndpoint} is ${STATE_NAMES[this.#state]}`,
      );
    }
    this.#outgoing.add(name, frame);
    if (!this.#flushScheduled && this.#flushing === null && this.#state === STARTED) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flushSoon);
    }
  }

  readonly #flushSoon = (): void => {
    this.#flushScheduled = false;
    this.#startFlush();
  };

  #startFlush(): void {
    const pub = this.#pub;
    if (
      this.#flushing === null && !this.#outgoing.empty && pub !== null &&
      (this.#state === STARTED || this.#state === STOPPING)
    ) {
      const stopped = this.#sendQueuedNow(pub);
      if (stopped === SENT_ALL) return;
      // set before the flush runs: it may end before its first await
      const flushed = Promise.withResolvers<void>();
      this.#flushing = flushed.promise;
      void this.#runFlush(pub, stopped === TURN_USED, flushed.resolve);
    }
  }

  /**
   * Hands queued frames to ZeroMQ synchronously while the socket can (a native publisher) and
   * ZeroMQ takes them, a turn's worth at most. No promise at all when that sends them all:
   * `flush()` after publishing one event then costs nothing more.
   */
  #sendQueuedNow(pub: SafeSocket): number {
    const outgoing = this.#outgoing;
    for (let sent = 0; sent < FRAMES_PER_TURN; sent++) {
      if (!pub.sendNow(outgoing.first())) return QUEUE_FULL;
      outgoing.shift();
      if (outgoing.empty) return SENT_ALL;
    }
    return TURN_USED;
  }

  /**
   * Sends the rest of the queue once `#sendQueuedNow()` stopped (after a turn of the event loop if
   * it stopped for the loop's sake), waiting for room where ZeroMQ has none; then clears
   * `#flushing` and calls `done`.
   */
  async #runFlush(pub: SafeSocket, turnUsed: boolean, done: () => void): Promise<void> {
    try {
      const outgoing = this.#outgoing;
      if (turnUsed) await nextTurn();
      let sent = 0;
      while (!outgoing.empty) {
        const frame = outgoing.first();
        if (!pub.sendNow(frame)) {
          // the socket's own promise awaited as it is: no promise or closure of ours per message
          const attempt = pub.trySend(frame);
          if (attempt === null) return; // closed by stop() after its timeout
          try {
            await attempt;
            pub.sent();
          } catch (error) {
            const waits = pub.wakeups;
            if (!await pub.sendWhenRoom(frame, error)) return; // closed by stop() after its timeout
            if (pub.wakeups !== waits) this.#heard = true; // the broker made room: it is alive
          }
        }
        outgoing.shift();
        if (++sent === FRAMES_PER_TURN) {
          sent = 0;
          await nextTurn();
        }
      }
    } catch (error) {
      console.error(`Peer on ${this.#outEndpoint} stopped publishing:`, error);
    } finally {
      this.#flushing = null;
      done();
    }
  }

  // -- Receiving --

  readonly #onMessage = (message: Message): void => {
    this.#heard = true;
    for (let i = 0; i < message.length; i++) this.#onFrame(message[i]);
  };

  #onFrame(frame: Uint8Array): void {
    const decoded = this.#decoded;
    decoded.length = 0;
    const count = decodeFrame(frame, decoded, this.#decodeOptions);
    for (let i = 0; i < count; i++) {
      const request = decoded[i];
      if (!request.ok) {
        this.#reportFrame(new FrameError(request.problem, request.reason, request.excerpt));
        continue;
      }
      const event = this.#handlers.get(request.method);
      if (event === undefined) {
        if (request.method === this.#probeMethod) this.#onProbe(request.args);
        else if (frame[0] !== BATCH_START) {
          this.#reportFrame(
            new FrameError(
              "not-subscribed",
              `event "${request.method}" is not one this peer subscribed to`,
              excerptOf(frame),
            ),
          );
        } // a batch carries events for other peers too: skip them silently
        continue;
      }
      const expected = this.#argumentCounts[request.method];
      if (expected !== undefined && request.args.length !== expected) {
        this.#reportFrame(
          new FrameError(
            "wrong-argument-count",
            `event "${request.method}" takes ${expected} arguments, received ${request.args.length}`,
            excerptOf(frame),
          ),
        );
        continue;
      }
      try {
        emit(event, request.args);
      } catch (error) {
        reportError(error); // a throwing listener must not cost the events after it
      }
    }
  }

  #reportFrame(error: FrameError): void {
    if (this.frameError.listenerCount === 0) console.warn(error.message);
    else this.frameError(error);
  }

  #reportLost(why: string): void {
    const error = new BrokerLostError(
      this.#inEndpoint,
      this.#outEndpoint,
      why,
      this.#outgoing.size,
    );
    if (this.brokerLost.listenerCount === 0) console.warn(error.message);
    else this.brokerLost(error);
  }

  // -- Probes and heartbeat --

  /** Sends a probe on the events' own path: its answer proves everything before it got through. */
  #sendProbe(): Promise<boolean> {
    const seq = ++this.#probeSent;
    return this.#pub!.send(this.#probePrefix + ', "params": [' + seq + "]}");
  }

  #awaitProbe(seq: number): Promise<void> {
    if (this.#probeAnswered >= seq) return Promise.resolve();
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#probeWaiter = { seq, resolve };
    return promise;
  }

  #onProbe(args: readonly unknown[]): void {
    const seq = args[0];
    // heartbeat probes carry no number: they only show the broker is there (#heard, set already)
    if (typeof seq !== "number" || seq <= this.#probeAnswered) return;
    this.#probeAnswered = seq;
    const waiter = this.#probeWaiter;
    if (waiter !== null && seq >= waiter.seq) {
      this.#probeWaiter = null;
      waiter.resolve();
    }
  }

  #startHeartbeat(): void {
    if (this.#heartbeat === 0) return;
    this.#heard = true;
    this.#silentBeats = 0;
    this.#lostReported = false;
    const timer = setInterval(this.#beat, this.#heartbeat);
    Deno.unrefTimer(timer as unknown as number);
    this.#heartbeatTimer = timer;
  }

  readonly #beat = (): void => {
    if (this.#heard) {
      this.#heard = false;
      this.#silentBeats = 0;
      this.#lostReported = false;
    } else if (++this.#silentBeats >= SILENT_BEATS && !this.#lostReported) {
      this.#lostReported = true;
      this.#reportLost(`no answer from the broker for ${SILENT_BEATS * this.#heartbeat} ms`);
      this.#onLost?.();
    }
    this.#beacon?.send(this.#beatFrame).catch(() => {});
  };
}

const DONE: Promise<void> = Promise.resolve();
/** Frames handed to ZeroMQ back to back before the event loop gets a turn. */
const FRAMES_PER_TURN = 64;
/** How `#sendQueuedNow()` stopped: every frame sent, ZeroMQ's queue full, or a turn's worth sent. */
const SENT_ALL = 0;
const QUEUE_FULL = 1;
const TURN_USED = 2;

const STATE_NAMES = ["not started", "starting", "started", "stopping", "stopped"];

/** Emits `event` with `args`, without spreading for the common counts. */
function emit(event: Event, args: readonly unknown[]): void {
  switch (args.length) {
    case 0:
      return event();
    case 1:
      return event(args[0]);
    case 2:
      return event(args[0], args[1]);
    case 3:
      return event(args[0], args[1], args[2]);
    default:
      return event(...args);
  }
}

function checkNames(what: string, names: unknown): string[] {
  if (!Array.isArray(names)) {
    throw new TypeError(
      `Cannot create Peer: ${what} must be an array of event names, received ${typeof names}`,
    );
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== "string" || name === "") {
      throw new TypeError(
        `Cannot create Peer: ${what} must hold non-empty strings, received ${
          typeof name === "string" ? '""' : typeof name
        }`,
      );
    }
    if (seen.has(name)) {
      throw new TypeError(`Cannot create Peer: ${what} names "${name}" twice`);
    }
    seen.add(name);
  }
  return [...seen];
}

function checkMaxFrameBytes(value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < MAX_BATCH_BYTES) {
    throw new RangeError(
      `Cannot use Peer maxFrameBytes: expected a whole number of bytes of at least ${MAX_BATCH_BYTES} (the largest batch a peer sends), received ${value}`,
    );
  }
  return value as number;
}

function checkMilliseconds(what: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 2 ** 31 - 1)) {
    throw new RangeError(
      `Cannot use Peer ${what}: expected milliseconds from 0 to 2^31-1, received ${value}`,
    );
  }
  return value;
}

/** The start of `frame` in printable ASCII, for frame errors the codec did not describe. */
function excerptOf(frame: Uint8Array): string {
  let out = "";
  const end = Math.min(frame.length, 80);
  for (let i = 0; i < end; i++) {
    const byte = frame[i];
    out += byte >= 0x20 && byte < 0x7f
      ? String.fromCharCode(byte)
      : "\\x" + byte.toString(16).padStart(2, "0");
  }
  return frame.length > 80 ? out + "..." : out;
}
