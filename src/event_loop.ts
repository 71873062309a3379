/**
 * `EventLoop`, which runs queued slot calls one at a time in FIFO order, and `@hasEventLoop`,
 * which gives every instance of a class its own.
 *
 * @module
 */

import { Events } from "./events.ts";
import {
  assertInstance,
  classNameOf,
  describe,
  exitProcess,
  LOOP,
  LOOP_ATTR,
  POST,
  REJECT,
  RESOLVE,
} from "./_internal.ts";
import { SlotCall } from "./slot_call.ts";
import { EventLoopStateError } from "./errors.ts";

/** Options of `new EventLoop(options)`. */
export interface EventLoopOptions {
  /**
   * When a queued call throws (or its promise rejects), or a listener of the loop's `started`,
   * `stopped`, `active` or `idle` event throws: `true` (the default, as in the original) logs the
   * error with its stack and ends the process with status 1; `false` emits the `exception` event
   * and carries on. A listener of `exception` that throws is logged, never re-emitted.
   */
  exitOnException?: boolean;
}

/** The events every `EventLoop` emits. */
export type EventLoopEvents = {
  /** The loop was started. */
  started: [];
  /** The loop was stopped and has run everything queued before and while stopping. */
  stopped: [];
  /** The loop began running calls after being idle. */
  active: [];
  /** The loop ran every queued call and waits for more. */
  idle: [];
  /** A queued call threw (or its promise rejected) with `error`. */
  exception: [error: unknown];
};

// deno-lint-ignore no-explicit-any
type AnyFunction = (...args: any[]) => unknown;

const NEW = 0;
const RUNNING = 1;
const STOPPING = 2;
const STOPPED = 3;
const STATE_NAMES = ["new", "running", "stopping", "stopped"] as const;

/** Each queued call takes this many slots of the ring buffer: fn, self, argc, a, b, c, d, call. */
const STRIDE = 8;
/** Calls run back to back before the loop lets timers and I/O in. */
const BATCH = 4096;

type Immediate = (fn: () => void) => unknown;
const setImmediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
/**
 * Lets timers and I/O run, then calls `fn`. `setImmediate` (Deno, Node, Bun) where the runtime
 * has it: `setTimeout(fn, 0)` waits a millisecond or more each time, which would cost a long
 * queue more than running its calls.
 */
const yieldToHost: Immediate = typeof setImmediate === "function"
  ? (fn) => setImmediate(fn)
  : (fn) => setTimeout(fn, 0);

/**
 * Runs queued calls strictly one at a time, in the order they were queued; an async call is
 * awaited before the next starts, so code running on one loop never needs to be re-entrant.
 *
 * Calls may be queued before `start()`; they run once it is called. `stop()` (and leaving an
 * `await using` scope) runs everything queued, including calls queued while stopping, then emits
 * `stopped`. Calls queued on a stopped loop wait for the next `start()`.
 *
 * @example Run a loop for a scope
 * ```ts
 * import { EventLoop } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 * const order: number[] = [];
 * const loop = new EventLoop();
 * loop.enqueue(() => order.push(1));
 * {
 *   await using _ = loop.start();
 *   loop.enqueue(async () => {
 *     await Promise.resolve();
 *     order.push(2);
 *   });
 *   loop.enqueue(() => order.push(3));
 * }
 * assert.deepEqual(order, [1, 2, 3]);
 * ```
 */
export class EventLoop implements AsyncDisposable {
  /** The loop's own events: `started`, `stopped`, `active`, `idle`, `exception`. */
  readonly events: Events<EventLoopEvents>;
  /** Whether an exception in a queued call ends the process (see `EventLoopOptions`). */
  readonly exitOnException: boolean;

  #queue: unknown[] = new Array(STRIDE * 16);
  #mask = 15;
  #head = 0;
  #size = 0;
  #state = NEW;
  /** True from the first call of a batch until the queue is empty, across awaits. */
  #busy = false;
  #scheduled = false;
  /** Calls left before the loop lets timers and I/O in; counted across async calls too. */
  #budget = BATCH;
  #current: SlotCall | undefined = undefined;
  #stopped: PromiseWithResolvers<void> | undefined = undefined;

  /** Creates a loop; it runs nothing until `start()`. */
  constructor(options: EventLoopOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new TypeError(
        `Cannot create EventLoop: options must be an object, received ${describe(options)}`,
      );
    }
    this.events = new Events<EventLoopEvents>([
      "started",
      "stopped",
      "active",
      "idle",
      "exception",
    ]);
    this.exitOnException = options.exitOnException ?? true;
  }

  /** Whether the loop is started and not yet stopped. */
  get running(): boolean {
    return this.#state === RUNNING;
  }

  /**
   * Where the loop is in its life: `"new"` (never started), `"running"`, `"stopping"` (draining
   * after `stop()`) or `"stopped"`.
   */
  get state(): "new" | "running" | "stopping" | "stopped" {
    return STATE_NAMES[this.#state];
  }

  /** How many calls wait in the queue, not counting the one running. */
  get pending(): number {
    return this.#size;
  }

  /**
   * Starts running queued calls and emits `started`. Returns the loop, so that
   * `await using _ = loop.start()` stops it at the end of the scope.
   *
   * @throws {EventLoopStateError} if the loop is already running or stopping.
   */
  start(): this {
    if (this.#state === RUNNING || this.#state === STOPPING) {
      throw new EventLoopStateError(
        `Cannot start EventLoop: it is already ${this.#state === RUNNING ? "running" : "stopping"}`,
      );
    }
    this.#state = RUNNING;
    this.#emitOwn(this.events.started);
    if (this.#state !== RUNNING) return this; // a `started` listener stopped the loop
    if (this.#size === 0) this.#emitOwn(this.events.idle);
    else if (!this.#scheduled) this.#schedule(); // unless a `started` listener's call did
    return this;
  }

  /**
   * Runs everything queued, including calls queued meanwhile, then emits `stopped` and resolves.
   * A loop that is not running is started first, so that its queued calls run.
   */
  stop(): Promise<void> {
    if (this.#state === STOPPING) return this.#stopped!.promise;
    if (this.#state === STOPPED && this.#size === 0) return Promise.resolve();
    if (this.#state !== RUNNING) {
      this.start();
      // A `started` listener may have stopped the loop already: that stop is this one.
      if (this.#state !== RUNNING) return this.#stopped?.promise ?? Promise.resolve();
    }
    this.#state = STOPPING;
    this.#stopped = Promise.withResolvers<void>();
    const stopped = this.#stopped.promise;
    if (!this.#busy && !this.#scheduled) {
      if (this.#size > 0) this.#schedule();
      else this.#finishStop();
    }
    return stopped;
  }

  /** Stops the loop: `await using _ = loop.start()` calls it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /**
   * Queues `fn(...args)` on this loop, like a slot call, and returns its awaitable result.
   *
   * @throws {TypeError} if `fn` is not a function.
   */
  enqueue<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): SlotCall<Awaited<R>> {
    if (typeof fn !== "function") {
      throw new TypeError(
        `Cannot enqueue on EventLoop: expected a function, received ${describe(fn)}`,
      );
    }
    const call = new SlotCall<Awaited<R>>();
    this[POST](
      fn as AnyFunction,
      undefined,
      -1,
      args,
      undefined,
      undefined,
      undefined,
      call as SlotCall,
    );
    return call;
  }

  /**
   * @internal The hot path: queues `fn` called on `self` with `argc` (0–4) arguments `a…d`, or,
   * for `argc` -1, with the arguments in the array `a`. `call` is settled with the result, if given.
   */
  [POST](
    fn: AnyFunction,
    self: unknown,
    argc: number,
    a: unknown,
    b: unknown,
    c: unknown,
    d: unknown,
    call: SlotCall | undefined,
  ): void {
    if (this.#size > this.#mask) this.#grow();
    const q = this.#queue;
    const i = ((this.#head + this.#size) & this.#mask) * STRIDE;
    q[i] = fn;
    q[i + 1] = self;
    q[i + 2] = argc;
    q[i + 3] = a;
    q[i + 4] = b;
    q[i + 5] = c;
    q[i + 6] = d;
    q[i + 7] = call;
    this.#size++;
    if (!this.#busy && !this.#scheduled && this.#state !== NEW && this.#state !== STOPPED) {
      this.#schedule();
    }
  }

  #grow(): void {
    const old = this.#queue;
    const capacity = this.#mask + 1;
    const next = new Array(capacity * 2 * STRIDE);
    for (let k = 0; k < this.#size; k++) {
      const from = ((this.#head + k) & this.#mask) * STRIDE;
      for (let j = 0; j < STRIDE; j++) next[k * STRIDE + j] = old[from + j];
    }
    this.#queue = next;
    this.#head = 0;
    this.#mask = capacity * 2 - 1;
  }

  #schedule(): void {
    this.#scheduled = true;
    queueMicrotask(this.#startBatch);
  }

  readonly #startBatch = (): void => {
    this.#scheduled = false;
    if (this.#busy) return;
    if (this.#size === 0) {
      if (this.#state === STOPPING) this.#finishStop();
      return;
    }
    this.#busy = true;
    this.#emitOwn(this.events.active);
    this.#runQueue();
  };

  readonly #resumeBatch = (): void => {
    this.#runQueue();
  };

  /** Runs queued calls until the queue is empty, an async call must be awaited, or time to yield. */
  #runQueue(): void {
    const q = this.#queue;
    while (this.#size > 0) {
      // Async calls that settle at once resume in a microtask, which lets no timer or I/O in,
      // so the budget counts them too.
      if (this.#budget === 0) {
        this.#budget = BATCH;
        yieldToHost(this.#resumeBatch);
        return;
      }
      this.#budget--;
      const i = this.#head * STRIDE;
      const fn = q[i] as AnyFunction;
      const self = q[i + 1];
      const argc = q[i + 2] as number;
      const a = q[i + 3];
      const b = q[i + 4];
      const c = q[i + 5];
      const d = q[i + 6];
      const call = q[i + 7] as SlotCall | undefined;
      // Cleared so that the queue does not keep finished calls' arguments alive.
      q[i] =
        q[i + 1] =
        q[i + 3] =
        q[i + 4] =
        q[i + 5] =
        q[i + 6] =
        q[i + 7] =
          undefined;
      this.#head = (this.#head + 1) & this.#mask;
      this.#size--;
      let result: unknown;
      try {
        switch (argc) {
          case 0:
            result = fn.call(self);
            break;
          case 1:
            result = fn.call(self, a);
            break;
          case 2:
            result = fn.call(self, a, b);
            break;
          case 3:
            result = fn.call(self, a, b, c);
            break;
          case 4:
            result = fn.call(self, a, b, c, d);
            break;
          default:
            result = Reflect.apply(fn, self, a as unknown[]);
        }
      } catch (error) {
        this.#fail(call, error, fn, self);
        if (this.#queue !== q) return this.#runQueue();
        continue;
      }
      if (result instanceof Promise || isThenable(result)) {
        this.#current = call;
        this.#currentFn = fn;
        this.#currentSelf = self;
        // Any other thenable may call back twice, at once, or throw: a Promise adopts it safely.
        (result instanceof Promise ? result : Promise.resolve(result)).then(
          this.#onAsyncResult,
          this.#onAsyncError,
        );
        return;
      }
      if (call !== undefined) call[RESOLVE](result);
      // A call may have grown the queue: continue on the new array.
      if (this.#queue !== q) return this.#runQueue();
    }
    this.#busy = false;
    this.#emitOwn(this.events.idle);
    if (this.#state === STOPPING && this.#size === 0 && !this.#busy) this.#finishStop();
  }

  #currentFn: AnyFunction | undefined = undefined;
  #currentSelf: unknown = undefined;

  readonly #onAsyncResult = (value: unknown): void => {
    const call = this.#current;
    this.#current = this.#currentFn = this.#currentSelf = undefined;
    if (call !== undefined) call[RESOLVE](value);
    this.#runQueue();
  };

  readonly #onAsyncError = (error: unknown): void => {
    const call = this.#current;
    const fn = this.#currentFn;
    const self = this.#currentSelf;
    this.#current = this.#currentFn = this.#currentSelf = undefined;
    this.#fail(call, error, fn, self);
    this.#runQueue();
  };

  #fail(
    call: SlotCall | undefined,
    error: unknown,
    fn: AnyFunction | undefined,
    self: unknown,
  ): void {
    if (call !== undefined) call[REJECT](error);
    if (this.exitOnException) {
      const where = fn === undefined ? "a queued call" : callName(fn, self);
      console.error(`EventLoop: ${where} threw; exiting (exitOnException is true):`, error);
      this.#emitOwn(this.events.exception, error);
      exitProcess(1);
    }
    this.#emitOwn(this.events.exception, error);
  }

  /** Emits one of the loop's own events; a throwing listener must not break the loop. */
  #emitOwn(event: (error?: unknown) => void, error?: unknown): void {
    try {
      if (event === this.events.exception) event(error);
      else event();
    } catch (listenerError) {
      if (event === this.events.exception) {
        console.error("EventLoop: a listener of `exception` threw:", listenerError);
      } else {
        this.#fail(undefined, listenerError, event as AnyFunction, this);
      }
    }
  }

  #finishStop(): void {
    const stopped = this.#stopped;
    // Cleared first: a `stopped` listener that stops the loop again starts a new drain.
    this.#stopped = undefined;
    this.#state = STOPPED;
    this.#emitOwn(this.events.stopped);
    stopped?.resolve();
  }
}

function isThenable(value: unknown): boolean {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return false;
  try {
    return typeof (value as { then?: unknown }).then === "function";
  } catch {
    return true; // a throwing `then` getter: Promise.resolve turns it into the call's failure
  }
}

function callName(fn: AnyFunction, self: unknown): string {
  const owner = self !== null && typeof self === "object" ? `${classNameOf(self)}.` : "";
  return `${owner}${fn.name || "(anonymous)"}`;
}

/**
 * Class decorator: every instance gets its own `EventLoop` at `this[attr]`, created on first use,
 * and its `@slot` methods queue on that loop. Assigning another loop to `this[attr]` makes the
 * object share it: `consumer2.eventLoop = consumer1.eventLoop` runs both objects' slots in one
 * sequence.
 *
 * @example Two consumers sharing one loop
 * ```ts
 * import { EventLoop, hasEventLoop, slot } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 *
 * @hasEventLoop("eventLoop")
 * class Consumer {
 *   declare eventLoop: EventLoop;
 *   constructor(readonly name: string) {}
 *   @slot
 *   onProduced(product: string) {
 *     log.push(`${this.name} got ${product}`);
 *   }
 * }
 *
 * const consumer1 = new Consumer("one");
 * const consumer2 = new Consumer("two");
 * consumer2.eventLoop = consumer1.eventLoop;
 * consumer1.onProduced("a");
 * consumer2.onProduced("b");
 * consumer1.onProduced("c");
 * await consumer1.eventLoop.stop();
 * assert.deepEqual(log, ["one got a", "two got b", "one got c"]);
 * ```
 */
export function hasEventLoop<const Attr extends string>(
  attr: Attr,
  // deno-lint-ignore no-explicit-any
): <C extends abstract new (...args: any[]) => object>(
  target: C,
  context: ClassDecoratorContext<C>,
) => void {
  if (typeof attr !== "string" || attr === "") {
    throw new TypeError(
      `Cannot apply @hasEventLoop: the attribute must be a non-empty string, received ${
        describe(attr)
      }`,
    );
  }
  return (target, context) => {
    if (context.kind !== "class") {
      throw new TypeError(
        `Cannot apply @hasEventLoop to ${context.kind} ${
          String(context.name)
        }: it decorates classes`,
      );
    }
    const proto = target.prototype as object;
    Object.defineProperty(proto, LOOP_ATTR, { value: attr });
    Object.defineProperty(proto, attr, {
      configurable: true,
      get(this: { [LOOP]?: EventLoop }): EventLoop {
        const loop = this[LOOP];
        if (loop !== undefined) return loop;
        assertInstance(this, attr);
        return setLoop(this, new EventLoop());
      },
      set(this: object, loop: unknown) {
        if (!(loop instanceof EventLoop)) {
          throw new TypeError(
            `Cannot set ${classNameOf(this)}.${attr}: expected an EventLoop, received ${
              describe(loop)
            }`,
          );
        }
        setLoop(this, loop);
      },
    });
  };
}

function setLoop(object: object, loop: EventLoop): EventLoop {
  Object.defineProperty(object, LOOP, { value: loop, writable: true, configurable: true });
  return loop;
}
