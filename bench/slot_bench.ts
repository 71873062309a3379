/**
 * Queued slot calls: 100 000 calls through one `EventLoop` against p-queue (concurrency 1) and a
 * hand-written array queue with one promise per call; and the fire-and-forget path (an event
 * connected to a `@slot`) against a bare array queue drained in a loop.
 *
 *     deno bench --allow-all bench/slot_bench.ts
 *
 * Every bench queues `CALLS` calls per iteration and waits until all have run: time/iter divided
 * by `CALLS` is the time per call. The queued work only adds to a masked integer, so nothing is
 * allocated by the work itself; each bench checks afterwards that every call ran, in order, and
 * that none ran before the caller let the queue run, so a broken path fails instead of looking
 * fast.
 *
 * @module
 */

import {
  connect,
  emits,
  type EventLoop,
  type Events,
  hasEventLoop,
  slot,
  SlotCall,
  SyncEvent,
} from "@mreventloop/core";
import PQueue from "p-queue";

const CALLS = 100_000;
const MASK = 0xfffff;
/** What adding 0, 1, …, CALLS - 1 adds to an accumulator, modulo the mask. */
const GAIN = (CALLS * (CALLS - 1) / 2) % (MASK + 1);

/** The work every queue runs: `add(x)` adds `x` and returns how many calls it has run. */
class Counter {
  acc = 0;
  calls = 0;

  add(x: number): number {
    this.acc = (this.acc + x) & MASK;
    return ++this.calls;
  }

  reset(): void {
    this.acc = 0;
    this.calls = 0;
  }

  /** Throws unless `add` ran exactly `CALLS` times, with 0, 1, …, CALLS - 1. */
  check(name: string): void {
    if (this.calls !== CALLS || this.acc !== GAIN) {
      throw new Error(
        `${name}: ran ${this.calls} calls adding up to ${this.acc}, expected ${CALLS} and ${GAIN}`,
      );
    }
  }
}

/** Throws unless `counter` has run no call yet: the calls must be queued, not run by the caller. */
function checkQueued(name: string, counter: Counter): void {
  if (counter.calls !== 0) {
    throw new Error(`${name}: ${counter.calls} calls ran before the queue got to run`);
  }
}

/** Throws unless the last call resolved with `CALLS`. */
function checkLast(name: string, last: unknown): void {
  if (last !== CALLS) throw new Error(`${name}: the last call resolved with ${last}`);
}

// -- Baselines --

interface Task {
  fn: (x: number) => number;
  self: Counter;
  x: number;
  resolve: (value: number) => void;
  reject: (error: unknown) => void;
}

/** The simplest fair queue a user would write: an array of tasks, one promise per call. */
class PromiseArrayQueue {
  #tasks: Task[] = [];
  #scheduled = false;

  enqueue(fn: (x: number) => number, self: Counter, x: number): Promise<number> {
    const { promise, resolve, reject } = Promise.withResolvers<number>();
    this.#tasks.push({ fn, self, x, resolve, reject });
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#drain);
    }
    return promise;
  }

  readonly #drain = (): void => {
    const tasks = this.#tasks;
    for (let i = 0; i < tasks.length; i++) {
      const t = tasks[i];
      try {
        t.resolve(t.fn.call(t.self, t.x));
      } catch (error) {
        t.reject(error);
      }
    }
    tasks.length = 0;
    this.#scheduled = false;
  };
}

/** A bare queue: (function, receiver, argument) triples pushed to an array and drained in a loop. */
class BareArrayQueue {
  #items: unknown[] = [];
  #scheduled = false;
  #drained: (() => void) | undefined = undefined;

  post(fn: (x: number) => unknown, self: Counter, x: number): void {
    this.#items.push(fn, self, x);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#drain);
    }
  }

  /** Resolves once the queue has run everything posted so far. */
  drained(): Promise<void> {
    return new Promise((resolve) => this.#drained = resolve);
  }

  readonly #drain = (): void => {
    const items = this.#items;
    for (let i = 0; i < items.length; i += 3) {
      (items[i] as (x: unknown) => unknown).call(items[i + 1], items[i + 2]);
    }
    items.length = 0;
    this.#scheduled = false;
    const drained = this.#drained;
    this.#drained = undefined;
    drained?.();
  };
}

/** The same with a reused array: written by index, never truncated, so it never regrows. */
class ReusedArrayQueue {
  #items: unknown[] = [];
  #length = 0;
  #scheduled = false;
  #drained: (() => void) | undefined = undefined;

  post(fn: (x: number) => unknown, self: Counter, x: number): void {
    const items = this.#items;
    const n = this.#length;
    items[n] = fn;
    items[n + 1] = self;
    items[n + 2] = x;
    this.#length = n + 3;
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#drain);
    }
  }

  /** Resolves once the queue has run everything posted so far. */
  drained(): Promise<void> {
    return new Promise((resolve) => this.#drained = resolve);
  }

  readonly #drain = (): void => {
    const items = this.#items;
    for (let i = 0; i < this.#length; i += 3) {
      (items[i] as (x: unknown) => unknown).call(items[i + 1], items[i + 2]);
    }
    this.#length = 0;
    this.#scheduled = false;
    const drained = this.#drained;
    this.#drained = undefined;
    drained?.();
  };
}

// -- Ours --

@hasEventLoop("eventLoop")
class LoopedCounter extends Counter {
  declare eventLoop: EventLoop;

  @slot
  override add(x: number): number {
    return super.add(x);
  }
}

@emits("events", ["produced"])
class Producer {
  declare readonly events: Events<{ produced: [x: number] }>;
}

@hasEventLoop("eventLoop")
class Consumer extends Counter {
  declare eventLoop: EventLoop;

  @slot
  onProduced(x: number): void {
    this.add(x);
  }
}

// -- 100 000 queued calls, each returning an awaitable --
// Each bench is written out in full, so that no two share a call site or its feedback.

{
  const group = `${CALLS} queued calls, caller keeps the awaitables`;

  const looped = new LoopedCounter();
  looped.eventLoop.start();
  Deno.bench("ours: @slot on an EventLoop", { group, baseline: true }, async () => {
    looped.reset();
    const slotCalls: unknown[] = new Array(CALLS);
    for (let i = 0; i < CALLS; i++) slotCalls[i] = looped.add(i);
    checkQueued("EventLoop", looped);
    if (!(slotCalls[0] instanceof SlotCall)) throw new Error("EventLoop: a slot call ran directly");
    checkLast("EventLoop", await slotCalls[CALLS - 1]);
    looped.check("EventLoop");
  });

  const arrayQueue = new PromiseArrayQueue();
  const arrayCounter = new Counter();
  Deno.bench("array queue, one promise per call", { group }, async () => {
    arrayCounter.reset();
    const promises: Promise<number>[] = new Array(CALLS);
    for (let i = 0; i < CALLS; i++) {
      promises[i] = arrayQueue.enqueue(arrayCounter.add, arrayCounter, i);
    }
    checkQueued("array queue", arrayCounter);
    checkLast("array queue", await promises[CALLS - 1]);
    arrayCounter.check("array queue");
  });

  const pQueue = new PQueue({ concurrency: 1 });
  const pCounter = new Counter();
  // p-queue takes ~100× longer per call: a few iterations measure it well enough.
  Deno.bench("p-queue@10.0.0, concurrency 1", { group, n: 5, warmup: 1 }, async () => {
    pCounter.reset();
    const pPromises: Promise<number>[] = new Array(CALLS);
    // p-queue starts the first task inside add(): no checkQueued here.
    for (let i = 0; i < CALLS; i++) pPromises[i] = pQueue.add(() => pCounter.add(i));
    checkLast("p-queue", await pPromises[CALLS - 1]);
    pCounter.check("p-queue");
  });
}

// -- 100 000 fire-and-forget calls: an event connected to a slot --

{
  const group = `${CALLS} fire-and-forget calls, then wait for the drain`;

  const producer = new Producer();
  const consumer = new Consumer();
  connect(producer, consumer);
  const loop = consumer.eventLoop;
  loop.start();
  const produced = producer.events.produced;
  Deno.bench("ours: event connected to a @slot", { group, baseline: true }, async () => {
    consumer.reset();
    const idle = new SyncEvent(loop.events.idle);
    for (let i = 0; i < CALLS; i++) produced(i);
    checkQueued("connected slot", consumer);
    await idle;
    consumer.check("connected slot");
  });

  const bare = new BareArrayQueue();
  const bareCounter = new Counter();
  Deno.bench("bare array queue: push, drain, truncate", { group }, async () => {
    bareCounter.reset();
    const drained = bare.drained();
    for (let i = 0; i < CALLS; i++) bare.post(bareCounter.add, bareCounter, i);
    checkQueued("bare array queue", bareCounter);
    await drained;
    bareCounter.check("bare array queue");
  });

  const reused = new ReusedArrayQueue();
  const reusedCounter = new Counter();
  Deno.bench("bare array queue: reused array", { group }, async () => {
    reusedCounter.reset();
    const drained = reused.drained();
    for (let i = 0; i < CALLS; i++) reused.post(reusedCounter.add, reusedCounter, i);
    checkQueued("reused array queue", reusedCounter);
    await drained;
    reusedCounter.check("reused array queue");
  });
}
