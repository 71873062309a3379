import {
  connect,
  emits,
  EventLoop,
  EventLoopStateError,
  type Events,
  hasEventLoop,
  slot,
  SlotCall,
} from "@mreventloop/core";
import assert from "node:assert/strict";

/** Lets `n` rounds of microtasks run. */
async function ticks(n = 1): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

/** A small seeded PRNG (mulberry32), so a failing random scenario can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fails with `message` if `promise` has not settled after `ms`: a guard against a hung test. */
async function guard<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Records the loop's own events into `log`. */
function recordLoopEvents(loop: EventLoop, log: string[]): void {
  for (const name of ["started", "stopped", "active", "idle"] as const) {
    connect(loop, name, () => log.push(name));
  }
}

// -- Lifecycle --

Deno.test("EventLoop runs calls queued before start() once it starts, in order", async () => {
  const loop = new EventLoop();
  const order: number[] = [];
  loop.enqueue(() => order.push(1));
  loop.enqueue(() => order.push(2));
  await ticks(5);
  assert.equal(order.length, 0);
  assert.equal(loop.pending, 2);
  {
    await using _ = loop.start();
    assert.equal(loop.running, true);
    loop.enqueue(() => order.push(3));
  }
  assert.equal(loop.running, false);
  assert.deepEqual(order, [1, 2, 3]);
});

Deno.test("EventLoop.start() throws EventLoopStateError while running or stopping", async () => {
  const loop = new EventLoop();
  loop.start();
  assert.throws(() => loop.start(), EventLoopStateError);
  assert.throws(() => loop.start(), /Cannot start EventLoop: it is already running/);
  const { promise, resolve } = Promise.withResolvers<void>();
  loop.enqueue(() => promise);
  await ticks();
  const stopped = loop.stop();
  assert.throws(() => loop.start(), /Cannot start EventLoop: it is already stopping/);
  resolve();
  await stopped;
  loop.start(); // a stopped loop may start again
  await loop.stop();
});

Deno.test("EventLoop.stop() on a never-started loop runs its queued calls", async () => {
  const loop = new EventLoop();
  const log: string[] = [];
  recordLoopEvents(loop, log);
  loop.enqueue(() => log.push("call"));
  await loop.stop();
  assert.deepEqual(log, ["started", "active", "call", "idle", "stopped"]);
});

Deno.test("EventLoop.stop() on a never-started empty loop emits started, idle and stopped", async () => {
  const loop = new EventLoop();
  const log: string[] = [];
  recordLoopEvents(loop, log);
  await loop.stop();
  assert.deepEqual(log, ["started", "idle", "stopped"]);
});

Deno.test("EventLoop emits started, idle, active, idle and stopped around its calls", async () => {
  const loop = new EventLoop();
  const log: string[] = [];
  recordLoopEvents(loop, log);
  loop.start();
  loop.enqueue(() => log.push("first"));
  loop.enqueue(async () => {
    await ticks();
    log.push("second");
  });
  await loop.enqueue(() => log.push("third"));
  await loop.stop();
  assert.deepEqual(log, [
    "started",
    "idle",
    "active",
    "first",
    "second",
    "third",
    "idle",
    "stopped",
  ]);
});

Deno.test("EventLoop.stop() called twice returns one drain; on a stopped loop it resolves", async () => {
  const loop = new EventLoop().start();
  let stoppedEvents = 0;
  connect(loop, "stopped", () => stoppedEvents++);
  const { promise, resolve } = Promise.withResolvers<void>();
  loop.enqueue(() => promise);
  await ticks();
  const first = loop.stop();
  const second = loop.stop();
  assert.equal(first, second);
  resolve();
  await first;
  await loop.stop();
  assert.equal(stoppedEvents, 1);
});

Deno.test("EventLoop.stop() waits for a pending async call before emitting stopped", async () => {
  const loop = new EventLoop().start();
  const log: string[] = [];
  connect(loop, "stopped", () => log.push("stopped"));
  const { promise, resolve } = Promise.withResolvers<void>();
  loop.enqueue(async () => {
    await promise;
    log.push("async call done");
  });
  loop.enqueue(() => log.push("next call"));
  await ticks();
  const stopped = loop.stop();
  await ticks(5);
  assert.deepEqual(log, []);
  resolve();
  await stopped;
  assert.deepEqual(log, ["async call done", "next call", "stopped"]);
});

Deno.test("EventLoop.stop() runs calls queued while draining before stopped", async () => {
  const loop = new EventLoop();
  const log: string[] = [];
  connect(loop, "stopped", () => log.push("stopped"));
  const chain = (n: number) => {
    log.push(`call ${n}`);
    if (n < 5) {
      loop.enqueue(
        n % 2 === 0 ? chain : async (m: number) => {
          await ticks();
          chain(m);
        },
        n + 1,
      );
    }
  };
  loop.enqueue(chain, 0);
  loop.start();
  const stopped = loop.stop();
  loop.enqueue(() => log.push("queued after stop()"));
  await stopped;
  assert.deepEqual(log, [
    "call 0",
    "queued after stop()",
    "call 1",
    "call 2",
    "call 3",
    "call 4",
    "call 5",
    "stopped",
  ]);
});

Deno.test("Calls queued on a stopped loop wait for the next start()", async () => {
  const loop = new EventLoop();
  const log: string[] = [];
  await loop.start().stop();
  const call = loop.enqueue(() => log.push("late call"));
  await ticks(5);
  assert.deepEqual(log, []);
  assert.equal(call.settled, false);
  assert.equal(loop.pending, 1);
  {
    await using _ = loop.start();
  }
  assert.deepEqual(log, ["late call"]);
  assert.equal(await call, 1);
});

Deno.test("EventLoop.stop() called by a started listener still drains the queue first", async () => {
  const loop = new EventLoop();
  const log: string[] = [];
  recordLoopEvents(loop, log);
  let stopping: Promise<void> | undefined;
  connect(loop, "started", () => {
    stopping ??= loop.stop();
  });
  loop.enqueue(() => log.push("queued before start"));
  loop.start();
  await stopping;
  assert.deepEqual(log, ["started", "active", "queued before start", "idle", "stopped"]);
});

Deno.test("EventLoop.stop() called from a stopped listener resolves after its own drain", async () => {
  const loop = new EventLoop();
  const log: string[] = [];
  let restarted: Promise<void> | undefined;
  connect(loop, "stopped", () => {
    log.push("stopped");
    if (restarted !== undefined) return;
    loop.enqueue(async () => {
      await ticks();
      log.push("queued by the stopped listener");
    });
    restarted = loop.stop();
  });
  await loop.start().stop();
  await restarted;
  assert.deepEqual(log, ["stopped", "queued by the stopped listener", "stopped"]);
});

Deno.test("Nested loops in await using scopes stop innermost first, each after draining", async () => {
  const log: string[] = [];
  const outer = new EventLoop();
  const inner = new EventLoop();
  connect(outer, "stopped", () => log.push("outer stopped"));
  connect(inner, "stopped", () => log.push("inner stopped"));
  {
    await using _outer = outer.start();
    {
      await using _inner = inner.start();
      inner.enqueue(async () => {
        await ticks();
        log.push("inner call");
      });
    }
    assert.deepEqual(log, ["inner call", "inner stopped"]);
    assert.equal(outer.running, true);
    outer.enqueue(async () => {
      await ticks();
      log.push("outer call");
    });
  }
  assert.deepEqual(log, ["inner call", "inner stopped", "outer call", "outer stopped"]);
});

// -- Queueing --

Deno.test("EventLoop.enqueue() passes any number of arguments and returns a SlotCall", async () => {
  await using loop = new EventLoop().start();
  const call = loop.enqueue(
    (a: number, b: string, c: boolean, d: null, e: number, f: string) =>
      [a, b, c, d, e, f].join(","),
    1,
    "two",
    true,
    null,
    5,
    "six",
  );
  assert.ok(call instanceof SlotCall);
  assert.equal(await call, "1,two,true,,5,six");
  assert.equal(await loop.enqueue(() => "no arguments"), "no arguments");
  assert.equal(await loop.enqueue((n: number) => Promise.resolve(n + 1), 41), 42);
});

Deno.test("EventLoop.enqueue() throws a TypeError for a non-function", () => {
  const loop = new EventLoop();
  assert.throws(
    () => loop.enqueue(42 as unknown as () => void),
    {
      name: "TypeError",
      message: /Cannot enqueue on EventLoop: expected a function, received number 42/,
    },
  );
  assert.equal(loop.pending, 0);
});

Deno.test("new EventLoop() throws a TypeError for options that are not an object", () => {
  assert.throws(
    () => new EventLoop(null as unknown as { exitOnException: false }),
    { name: "TypeError", message: /Cannot create EventLoop: options must be an object/ },
  );
});

@emits("events", ["sync_item", "async_item"])
class ItemProducer {
  declare readonly events: Events<{ sync_item: [n: number]; async_item: [n: number] }>;
}

@hasEventLoop("eventLoop")
class ItemConsumer {
  declare eventLoop: EventLoop;
  readonly seen: number[] = [];
  inSlot = false;
  overlaps = 0;

  @slot
  onSyncItem(n: number): number {
    if (this.inSlot) this.overlaps++;
    this.seen.push(n);
    return n;
  }

  @slot
  async onAsyncItem(n: number): Promise<number> {
    if (this.inSlot) this.overlaps++;
    this.inSlot = true;
    await ticks(n % 3);
    this.seen.push(n);
    this.inSlot = false;
    return n;
  }
}

Deno.test("10 000 mixed sync and async calls from several producers run in FIFO order", async () => {
  const seed = 20240611;
  const random = mulberry32(seed);
  const producers = [0, 1, 2, 3].map(() => new ItemProducer());
  const consumer = new ItemConsumer();
  for (const producer of producers) connect(producer, consumer);
  const direct: SlotCall<number>[] = [];
  let n = 0;
  while (n < 10_000) {
    // Bursts of emissions from random producers, with the loop running between bursts.
    for (let burst = 1 + Math.floor(random() * 50); burst > 0 && n < 10_000; burst--, n++) {
      const producer = producers[Math.floor(random() * producers.length)];
      const pick = random();
      if (pick < 0.45) producer.events.sync_item(n);
      else if (pick < 0.9) producer.events.async_item(n);
      else {
        const call = pick < 0.95 ? consumer.onSyncItem(n) : consumer.onAsyncItem(n);
        direct.push(call as unknown as SlotCall<number>);
      }
    }
    if (n > 500 && !consumer.eventLoop.running) consumer.eventLoop.start();
    await ticks(Math.floor(random() * 4));
  }
  await consumer.eventLoop.stop();
  assert.equal(consumer.overlaps, 0, `seed ${seed}: a call started while another ran`);
  assert.deepEqual(
    consumer.seen,
    Array.from({ length: 10_000 }, (_, i) => i),
    `seed ${seed}: calls ran out of order`,
  );
  for (const call of direct) assert.equal(call.settled, true);
});

@hasEventLoop("eventLoop")
@emits("events", ["echo"])
class Echo {
  declare eventLoop: EventLoop;
  declare readonly events: Events<{ echo: [depth: number] }>;
  readonly log: string[] = [];
  inSlot = false;

  constructor() {
    // `this` is cast: its polymorphic type hides the event map from connect's overloads.
    connect(this as Echo, "echo", this as Echo, "onEcho");
  }

  @slot
  async onEcho(depth: number): Promise<void> {
    assert.equal(this.inSlot, false, `onEcho(${depth}) ran inside another onEcho`);
    this.inSlot = true;
    this.log.push(`enter ${depth}`);
    if (depth < 3) this.events.echo(depth + 1);
    await ticks();
    this.log.push(`leave ${depth}`);
    this.inSlot = false;
  }
}

Deno.test("A slot emitting into a slot of its own loop runs it after it finishes, never nested", async () => {
  const echo = new Echo();
  {
    await using _ = echo.eventLoop.start();
    echo.events.echo(0);
  }
  assert.deepEqual(echo.log, [
    "enter 0",
    "leave 0",
    "enter 1",
    "leave 1",
    "enter 2",
    "leave 2",
    "enter 3",
    "leave 3",
  ]);
});

/**
 * Queues 10 000 calls, each of which queues another until a timer set by the first call fires
 * (at most a million calls): a loop that never lets timers in runs dry before the timer fires.
 */
async function busyUntilTimer(kind: "sync" | "async") {
  const loop = new EventLoop();
  const cap = 1_000_000;
  let queued = 0;
  let ran = 0;
  let ranBeforeTimer = -1;
  let timer: Promise<void> | undefined;
  const body = () => {
    ran++;
    timer ??= new Promise((resolve) =>
      setTimeout(() => {
        ranBeforeTimer = ran;
        resolve();
      }, 0)
    );
    if (ranBeforeTimer < 0 && queued < cap) {
      queued++;
      loop.enqueue(call);
    }
  };
  const call = kind === "sync" ? body : async () => {
    await ticks();
    body();
  };
  for (; queued < 10_000; queued++) loop.enqueue(call);
  await loop.start().stop();
  await timer;
  return { queued, ran, ranBeforeTimer };
}

for (const kind of ["sync", "async"] as const) {
  Deno.test(`More than 4096 queued ${kind} calls all run, and a timer set meanwhile gets to run`, async () => {
    const { queued, ran, ranBeforeTimer } = await busyUntilTimer(kind);
    assert.equal(ran, queued);
    assert.ok(ranBeforeTimer > 0, "the timer fired");
    assert.equal(ran - ranBeforeTimer, 10_000, "the timer fired while 10 000 calls were queued");
  });
}

Deno.test("A call returning a thenable that settles twice, or at once, still runs one call at a time", async () => {
  const loop = new EventLoop({ exitOnException: false });
  const log: string[] = [];
  let inCall = false;
  const enter = (name: string) => {
    assert.equal(inCall, false, `${name} started while another call ran`);
    inCall = true;
    log.push(`enter ${name}`);
  };
  const leave = (name: string) => {
    log.push(`leave ${name}`);
    inCall = false;
  };
  const twice = loop.enqueue(() => {
    enter("twice");
    leave("twice");
    // Not a Promise: calls back at once, then again, then throws.
    return {
      then(resolve: (value: string) => void) {
        resolve("first");
        resolve("second");
        throw new Error("then() threw after settling");
      },
    };
  });
  const slow = loop.enqueue(async () => {
    enter("slow");
    await ticks(3);
    leave("slow");
    return "slow";
  });
  loop.enqueue(() => {
    enter("last");
    leave("last");
  });
  await loop.stop();
  assert.deepEqual(log, [
    "enter twice",
    "leave twice",
    "enter slow",
    "leave slow",
    "enter last",
    "leave last",
  ]);
  assert.equal(await twice, "first");
  assert.equal(await slow, "slow");
});

Deno.test("A call returning an object whose then getter throws fails, and the loop carries on", async () => {
  const loop = new EventLoop({ exitOnException: false });
  const exceptions: unknown[] = [];
  connect(loop, "exception", (error) => exceptions.push(error));
  const broken = loop.enqueue(() => ({
    get then(): never {
      throw new Error("then getter threw");
    },
  }));
  const next = loop.enqueue(() => "next");
  await loop.stop();
  await assert.rejects(async () => await broken, { message: "then getter threw" });
  assert.equal(await next, "next");
  assert.deepEqual(exceptions.map((error) => (error as Error).message), ["then getter threw"]);
});

Deno.test("A queue grown while a call runs keeps FIFO order", async () => {
  const loop = new EventLoop();
  const order: number[] = [];
  // Wrap the ring buffer around first, then make a running call grow it.
  for (let i = 0; i < 10; i++) loop.enqueue(() => order.push(i));
  await loop.start().stop();
  order.length = 0;
  for (let i = 0; i < 12; i++) {
    loop.enqueue(() => {
      order.push(i);
      if (i === 0) { for (let j = 12; j < 100; j++) loop.enqueue(() => order.push(j)); }
    });
  }
  await loop.start().stop();
  assert.deepEqual(order, Array.from({ length: 100 }, (_, i) => i));
});

// -- Shared loops --

@hasEventLoop("eventLoop")
class NamedConsumer {
  declare eventLoop: EventLoop;
  constructor(readonly name: string, readonly log: string[]) {}

  @slot
  async onProduced(product: string): Promise<void> {
    this.log.push(`${this.name} starts ${product}`);
    await ticks(2);
    this.log.push(`${this.name} ends ${product}`);
  }
}

Deno.test("Each instance of a @hasEventLoop class gets its own loop", () => {
  const a = new NamedConsumer("a", []);
  const b = new NamedConsumer("b", []);
  assert.ok(a.eventLoop instanceof EventLoop);
  assert.equal(a.eventLoop, a.eventLoop);
  assert.notEqual(a.eventLoop, b.eventLoop);
});

Deno.test("consumer2.eventLoop = consumer1.eventLoop runs both consumers in one sequence", async () => {
  const log: string[] = [];
  const consumer1 = new NamedConsumer("one", log);
  const consumer2 = new NamedConsumer("two", log);
  consumer2.eventLoop = consumer1.eventLoop;
  assert.equal(consumer2.eventLoop, consumer1.eventLoop);
  {
    await using _ = consumer1.eventLoop.start();
    consumer1.onProduced("a");
    consumer2.onProduced("b");
    consumer1.onProduced("c");
  }
  assert.deepEqual(log, [
    "one starts a",
    "one ends a",
    "two starts b",
    "two ends b",
    "one starts c",
    "one ends c",
  ]);
});

Deno.test("Separate loops interleave their async slots", async () => {
  const log: string[] = [];
  const consumer1 = new NamedConsumer("one", log);
  const consumer2 = new NamedConsumer("two", log);
  {
    await using _1 = consumer1.eventLoop.start();
    await using _2 = consumer2.eventLoop.start();
    consumer1.onProduced("a");
    consumer2.onProduced("b");
  }
  assert.deepEqual(log, ["one starts a", "two starts b", "one ends a", "two ends b"]);
});

Deno.test("Assigning a non-EventLoop to the loop attribute throws a TypeError naming it", () => {
  const consumer = new NamedConsumer("one", []);
  const before = consumer.eventLoop;
  for (const value of [undefined, null, 42, { start() {} }]) {
    assert.throws(
      () => consumer.eventLoop = value as unknown as EventLoop,
      {
        name: "TypeError",
        message: /^Cannot set NamedConsumer\.eventLoop: expected an EventLoop, received /,
      },
    );
  }
  assert.equal(consumer.eventLoop, before);
});

Deno.test("@hasEventLoop throws a TypeError for an empty attribute name", () => {
  assert.throws(() => hasEventLoop(""), {
    name: "TypeError",
    message: /Cannot apply @hasEventLoop: the attribute must be a non-empty string/,
  });
});

// -- Exceptions --

@hasEventLoop("eventLoop")
class Fragile {
  declare eventLoop: EventLoop;
  readonly log: string[] = [];

  @slot
  work(label: string): string {
    if (label.startsWith("fail")) throw new Error(`Fragile cannot ${label}`);
    this.log.push(label);
    return label;
  }

  @slot
  async workLater(label: string): Promise<string> {
    await ticks();
    if (label.startsWith("fail")) throw new Error(`Fragile cannot ${label}`);
    this.log.push(label);
    return label;
  }
}

Deno.test("With exitOnException false a throwing slot emits exception and the loop carries on", async () => {
  const fragile = new Fragile();
  fragile.eventLoop = new EventLoop({ exitOnException: false });
  const exceptions: unknown[] = [];
  connect(fragile.eventLoop, "exception", (error) => exceptions.push(error));
  fragile.work("a");
  const awaited = fragile.work("fail sync") as unknown as SlotCall<string>;
  fragile.work("fail unawaited sync"); // nobody awaits: must not be an unhandled rejection
  fragile.workLater("b");
  const awaitedLater = fragile.workLater("fail async") as unknown as SlotCall<string>;
  fragile.workLater("fail unawaited async");
  fragile.work("c");
  {
    await using _ = fragile.eventLoop.start();
    await assert.rejects(async () => await awaited, { message: "Fragile cannot fail sync" });
    await assert.rejects(async () => await awaitedLater, { message: "Fragile cannot fail async" });
  }
  assert.deepEqual(fragile.log, ["a", "b", "c"]);
  assert.deepEqual(exceptions.map((error) => (error as Error).message), [
    "Fragile cannot fail sync",
    "Fragile cannot fail unawaited sync",
    "Fragile cannot fail async",
    "Fragile cannot fail unawaited async",
  ]);
});

Deno.test("A throwing listener of the loop's own events does not break the loop", async () => {
  const loop = new EventLoop({ exitOnException: false });
  const exceptions: string[] = [];
  const ran: number[] = [];
  connect(loop, "exception", (error) => exceptions.push((error as Error).message));
  for (const name of ["started", "active", "idle", "stopped"] as const) {
    connect(loop, name, () => {
      throw new Error(`${name} listener failed`);
    });
  }
  loop.enqueue(() => ran.push(1));
  loop.start();
  const second = loop.enqueue(() => ran.push(2));
  assert.equal(await second, 2);
  await ticks(); // the idle after the first batch
  loop.enqueue(() => ran.push(3));
  await loop.stop();
  assert.deepEqual(ran, [1, 2, 3]);
  assert.deepEqual(exceptions, [
    "started listener failed",
    "active listener failed",
    "idle listener failed",
    "active listener failed",
    "idle listener failed",
    "stopped listener failed",
  ]);
});

Deno.test("A throwing exception listener is logged and does not break the loop", async () => {
  const loop = new EventLoop({ exitOnException: false });
  connect(loop, "exception", () => {
    throw new Error("exception listener failed");
  });
  const logged: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  try {
    loop.enqueue(() => {
      throw new Error("slot failed");
    });
    const after = loop.enqueue(() => "after");
    await using _ = loop.start();
    assert.equal(await after, "after");
  } finally {
    console.error = original;
  }
  assert.equal(logged.length, 1);
  assert.match(String(logged[0][0]), /listener of `exception` threw/);
  assert.equal((logged[0][1] as Error).message, "exception listener failed");
});

const FIXTURE = new URL("./_fixtures/exit_on_exception.ts", import.meta.url);

for (const mode of ["sync", "async"] as const) {
  Deno.test(`By default a throwing ${mode} slot logs the error with its stack and exits with status 1`, async () => {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", FIXTURE.pathname, mode],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const err = new TextDecoder().decode(stderr);
    const out = new TextDecoder().decode(stdout);
    const slotName = mode === "sync" ? "Exploder.explodeNow" : "Exploder.explodeLater";
    assert.equal(code, 1, `expected exit status 1; stderr:\n${err}`);
    assert.match(err, new RegExp(`${slotName.replace(".", "\\.")} threw`));
    assert.match(err, new RegExp(`Error: ${mode} slot failed on purpose`));
    assert.match(err, /\n\s+at .*exit_on_exception\.ts:\d+:\d+/, "the stack is logged");
    assert.match(out, /the loop is running/);
    assert.doesNotMatch(out, /still alive/);
  });
}

// -- Drain on stop: a property over random interleavings --

type Kind = "sync" | "async" | "spawn" | "throw" | "asyncThrow";
type LoopState = "new" | "running" | "stopping" | "stopped";

@hasEventLoop("eventLoop")
class Member {
  declare eventLoop: EventLoop;
  constructor(readonly scenario: Scenario) {}

  @slot
  work(id: number, kind: Kind): number | Promise<number> {
    return this.scenario.run(this, id, kind);
  }
}

/**
 * One random scenario: objects share a few loops, get random calls (sync, async, throwing, or
 * queuing more calls as they run), while loops are started, stopped (awaited or not), restarted
 * and reassigned. Every invariant violation is collected in `violations`.
 */
class Scenario {
  readonly random: () => number;
  readonly loops: EventLoop[];
  readonly members: Member[];
  readonly state: LoopState[];
  readonly stoppedEvents: number[];
  readonly enqueued: number[][];
  readonly ran: number[][];
  readonly inCall: boolean[];
  readonly loopOfCall: number[] = [];
  readonly kindOfCall: Kind[] = [];
  readonly kept: [number, SlotCall<number>][] = [];
  readonly violations: string[] = [];
  readonly stops: Promise<void>[] = [];
  exceptions = 0;
  spawnBudget = 40;

  constructor(seed: number) {
    this.random = mulberry32(seed);
    const loopCount = 1 + this.int(3);
    this.loops = Array.from({ length: loopCount }, () => new EventLoop({ exitOnException: false }));
    this.state = this.loops.map(() => "new");
    this.stoppedEvents = this.loops.map(() => 0);
    this.enqueued = this.loops.map(() => []);
    this.ran = this.loops.map(() => []);
    this.inCall = this.loops.map(() => false);
    this.loops.forEach((loop, l) => {
      connect(loop, "started", () => this.state[l] = "running");
      connect(loop, "stopped", () => {
        this.stoppedEvents[l]++;
        this.state[l] = "stopped";
        const missing = this.enqueued[l].length - this.ran[l].length;
        if (missing !== 0 || loop.pending !== 0) {
          this.violations.push(`loop ${l} emitted stopped with ${missing} calls not run`);
        }
      });
      connect(loop, "exception", () => this.exceptions++);
    });
    this.members = Array.from({ length: 2 + this.int(4) }, () => {
      const member = new Member(this);
      member.eventLoop = this.pick(this.loops);
      return member;
    });
  }

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  randomKind(): Kind {
    const r = this.random();
    return r < 0.35
      ? "sync"
      : r < 0.7
      ? "async"
      : r < 0.85
      ? "spawn"
      : r < 0.93
      ? "throw"
      : "asyncThrow";
  }

  call(member: Member, kind: Kind): void {
    const id = this.loopOfCall.length;
    const l = this.loops.indexOf(member.eventLoop);
    this.loopOfCall.push(l);
    this.kindOfCall.push(kind);
    this.enqueued[l].push(id);
    const call = member.work(id, kind) as unknown as SlotCall<number>;
    // Most calls are never awaited: a failing one must not become an unhandled rejection.
    if (this.int(4) === 0) this.kept.push([id, call]);
  }

  run(member: Member, id: number, kind: Kind): number | Promise<number> {
    const l = this.loopOfCall[id];
    if (this.inCall[l]) this.violations.push(`call ${id} started inside another on loop ${l}`);
    if (this.state[l] !== "running" && this.state[l] !== "stopping") {
      this.violations.push(`call ${id} ran on loop ${l} while it was ${this.state[l]}`);
    }
    this.ran[l].push(id);
    this.inCall[l] = true;
    if (kind === "async" || kind === "asyncThrow") {
      return (async () => {
        await ticks(this.int(4));
        this.inCall[l] = false;
        if (kind === "asyncThrow") throw new Error(`call ${id} fails on purpose`);
        return id;
      })();
    }
    try {
      if (kind === "throw") throw new Error(`call ${id} fails on purpose`);
      if (kind === "spawn") {
        // Queue more calls as it runs, on its own loop (maybe stopping) or another object's.
        for (let n = 1 + this.int(3); n > 0 && this.spawnBudget > 0; n--, this.spawnBudget--) {
          this.call(this.int(2) === 0 ? member : this.pick(this.members), this.randomKind());
        }
      }
      return id;
    } finally {
      this.inCall[l] = false;
    }
  }

  start(l: number): void {
    const loop = this.loops[l];
    if (this.state[l] === "running" || this.state[l] === "stopping") {
      assert.throws(() => loop.start(), EventLoopStateError);
    } else {
      loop.start(); // a `started` listener may stop it again at once
      assert.notEqual(this.state[l], "new");
    }
  }

  /** Runs `action` from inside the loop's next `started` or `stopped` emission, once. */
  once(l: number, event: "started" | "stopped", action: () => void): void {
    const connection = connect(this.loops[l], event, () => {
      connection.disconnect();
      action();
    });
  }

  async stop(l: number): Promise<void> {
    const loop = this.loops[l];
    const before = this.stoppedEvents[l];
    const nothingToDo = this.state[l] === "stopped" && loop.pending === 0;
    const stopped = loop.stop().then(() => {
      if (!nothingToDo && this.stoppedEvents[l] === before) {
        this.violations.push(`loop ${l}: stop() resolved before stopped was emitted`);
      }
    });
    if (this.stoppedEvents[l] === before && !nothingToDo) this.state[l] = "stopping";
    if (this.int(2) === 0) await stopped;
    else this.stops.push(stopped);
  }

  async play(): Promise<void> {
    for (let op = 20 + this.int(60); op > 0; op--) {
      const r = this.random();
      if (r < 0.5) this.call(this.pick(this.members), this.randomKind());
      else if (r < 0.6) this.start(this.int(this.loops.length));
      else if (r < 0.72) await this.stop(this.int(this.loops.length));
      else if (r < 0.8) this.pick(this.members).eventLoop = this.pick(this.loops);
      else if (r < 0.83) {
        const l = this.int(this.loops.length);
        this.once(l, "started", () => void this.stop(l));
      } else if (r < 0.86) {
        // From the `stopped` listener: queue a call on the loop, then stop or start it again.
        const l = this.int(this.loops.length);
        this.once(l, "stopped", () => {
          const member = this.members.find((m) => m.eventLoop === this.loops[l]);
          if (member !== undefined) this.call(member, this.randomKind());
          if (this.int(2) === 0) void this.stop(l);
          else this.start(l);
        });
      } else await ticks(1 + this.int(8));
    }
    // Stop everything; a spawned call may land on a loop that has stopped already: repeat.
    while (
      this.loops.some((loop) =>
        loop.pending > 0 || this.state[this.loops.indexOf(loop)] !== "stopped"
      )
    ) {
      await Promise.all(this.loops.map((_, l) => this.stop(l)));
      await Promise.all(this.stops);
    }
  }

  async verify(): Promise<void> {
    assert.deepEqual(this.violations, []);
    const total = this.loopOfCall.length;
    this.loops.forEach((_, l) =>
      assert.deepEqual(this.ran[l], this.enqueued[l], `loop ${l} order`)
    );
    assert.equal(this.ran.flat().length, total, "every call ran exactly once");
    const failing = this.kindOfCall.filter((kind) => kind === "throw" || kind === "asyncThrow");
    assert.equal(this.exceptions, failing.length, "one exception event per failing call");
    for (const [id, call] of this.kept) {
      assert.equal(call.settled, true, `call ${id} settled`);
      const kind = this.kindOfCall[id];
      if (kind === "throw" || kind === "asyncThrow") {
        await assert.rejects(async () => await call, { message: `call ${id} fails on purpose` });
      } else assert.equal(await call, id);
    }
  }
}

Deno.test("EventLoop.stop() loses no call over 200 random interleavings of calls, stops and shared loops", async () => {
  const firstSeed = 0x5eed;
  for (let seed = firstSeed; seed < firstSeed + 200; seed++) {
    try {
      const scenario = new Scenario(seed);
      await guard(scenario.play(), 10_000, "the scenario hung");
      await scenario.verify();
    } catch (error) {
      throw new Error(
        `Drain property failed for seed ${seed} (replay: new Scenario(${seed})): ${
          (error as Error).message
        }`,
        { cause: error },
      );
    }
  }
});

// -- State and prototypes --

Deno.test("EventLoop.state follows new, running, stopping and stopped", async () => {
  const loop = new EventLoop();
  assert.equal(loop.state, "new");
  loop.start();
  assert.equal(loop.state, "running");
  loop.enqueue(() => assert.equal(loop.state, "stopping"));
  const stopped = loop.stop();
  assert.equal(loop.state, "stopping");
  await stopped;
  assert.equal(loop.state, "stopped");
});

Deno.test("reading a @hasEventLoop attribute on the prototype throws instead of sharing a loop", () => {
  @hasEventLoop("eventLoop")
  class Looped {
    declare eventLoop: EventLoop;
  }
  assert.throws(() => Looped.prototype.eventLoop, {
    name: "TypeError",
    message:
      "Cannot read Looped.prototype.eventLoop: each instance has its own; read it on an instance",
  });
  assert.notEqual(new Looped().eventLoop, new Looped().eventLoop);
});
