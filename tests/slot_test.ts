import {
  connect,
  emits,
  EventLoop,
  type Events,
  hasEventLoop,
  slot,
  SlotCall,
} from "@mreventloop/core";
import assert from "node:assert/strict";

/** A plain class: its slots have no loop and run at once. */
class Plain {
  readonly seen: unknown[][] = [];

  @slot
  record(...args: unknown[]): number {
    this.seen.push(args);
    return args.length;
  }

  @slot
  async recordLater(value: string): Promise<string> {
    await Promise.resolve();
    this.seen.push([value]);
    return value.toUpperCase();
  }
}

/** Plain's slots, inherited, queue on the loop @hasEventLoop gives the subclass. */
@hasEventLoop("eventLoop")
class Looped extends Plain {
  declare eventLoop: EventLoop;

  /** Reports how many arguments the call really had, and the defaulted one. */
  @slot
  count(_a?: unknown, b: string = "default b"): [number, string] {
    return [arguments.length, b];
  }

  @slot
  fail(message: string): never {
    throw new Error(message);
  }
}

// -- Without a loop --

Deno.test("A @slot of an object without a loop runs at once and returns the method's result", async () => {
  const plain = new Plain();
  assert.equal(plain.record(1, 2), 2);
  assert.deepEqual(plain.seen, [[1, 2]]);
  const later = plain.recordLater("x");
  assert.ok(later instanceof Promise);
  assert.ok(!(later instanceof SlotCall));
  assert.equal(await later, "X");
  assert.deepEqual(plain.seen, [[1, 2], ["x"]]);
});

Deno.test("A @slot without a loop passes any number of arguments and throws to its caller", () => {
  const plain = new Plain();
  assert.equal(plain.record(), 0);
  assert.equal(plain.record(1, 2, 3, 4, 5, 6), 6);
  assert.deepEqual(plain.seen, [[], [1, 2, 3, 4, 5, 6]]);
  class Thrower {
    @slot
    fail(): void {
      throw new Error("thrown at once");
    }
  }
  assert.throws(() => new Thrower().fail(), { message: "thrown at once" });
});

// -- On a loop --

Deno.test("A @slot of an object with a loop is queued and returns a SlotCall", async () => {
  const looped = new Looped();
  const call: unknown = looped.record("a");
  assert.ok(call instanceof SlotCall);
  assert.deepEqual(looped.seen, []);
  assert.equal(looped.eventLoop.pending, 1);
  await using _ = looped.eventLoop.start();
  assert.equal(await call, 1);
  assert.deepEqual(looped.seen, [["a"]]);
});

Deno.test("A queued @slot gets exactly the arguments it was called with, up to six and more", async () => {
  const looped = new Looped();
  await using _ = looped.eventLoop.start();
  const args = ["a", undefined, null, 4, { five: 5 }, [6], 7];
  for (let n = 0; n <= args.length; n++) {
    assert.equal(await looped.record(...args.slice(0, n)), n);
  }
  assert.deepEqual(looped.seen, args.map((_, n) => args.slice(0, n)).concat([args]));
  // A default parameter applies when the caller left the argument out, not when it passed one.
  assert.deepEqual(await looped.count(), [0, "default b"]);
  assert.deepEqual(await looped.count(1), [1, "default b"]);
  assert.deepEqual(await looped.count(1, "given b"), [2, "given b"]);
});

Deno.test("A @slot runs with `this` bound to its object and keeps the method's name", async () => {
  class Base {
    readonly name = "base";
  }
  @hasEventLoop("loop")
  class Self extends Base {
    declare loop: EventLoop;

    @slot
    whoAmI(): [string, boolean] {
      return [this.name, this instanceof Self];
    }
  }
  const self = new Self();
  await using _ = self.loop.start();
  assert.deepEqual(await self.whoAmI(), ["base", true]);
  assert.equal(Self.prototype.whoAmI.name, "whoAmI");
});

Deno.test("A subclass of a @hasEventLoop class queues its own slots on the inherited loop", async () => {
  class Child extends Looped {
    @slot
    echo(value: string): string {
      return value;
    }
  }
  const child = new Child();
  const echoed = child.echo("child");
  const recorded = child.record("parent slot");
  assert.equal(child.eventLoop.pending, 2);
  await using _ = child.eventLoop.start();
  assert.equal(await echoed, "child");
  assert.equal(await recorded, 1);
});

Deno.test("A @slot finds its object's loop at each call, so reassigning the loop moves later calls", async () => {
  const looped = new Looped();
  const first = looped.eventLoop;
  const second = new EventLoop();
  looped.record("on first");
  looped.eventLoop = second;
  looped.record("on second");
  assert.equal(first.pending, 1);
  assert.equal(second.pending, 1);
  await second.stop();
  assert.deepEqual(looped.seen, [["on second"]]);
  await first.stop();
  assert.deepEqual(looped.seen, [["on second"], ["on first"]]);
});

Deno.test("A failing queued @slot rejects its SlotCall and goes to the loop's exception policy", async () => {
  const looped = new Looped();
  looped.eventLoop = new EventLoop({ exitOnException: false });
  const exceptions: unknown[] = [];
  connect(looped.eventLoop, "exception", (error) => exceptions.push(error));
  const awaited = looped.fail("awaited failure");
  looped.fail("ignored failure"); // nobody awaits it: no unhandled rejection
  await using _ = looped.eventLoop.start();
  await assert.rejects(async () => await awaited, { message: "awaited failure" });
  assert.deepEqual(exceptions.map((error) => (error as Error).message), [
    "awaited failure",
    "ignored failure",
  ]);
});

Deno.test("@slot on something other than a method throws a TypeError", () => {
  assert.throws(
    () =>
      slot(
        function () {},
        { kind: "getter", name: "value" } as unknown as ClassMethodDecoratorContext,
      ),
    { name: "TypeError", message: "Cannot apply @slot to getter value: it decorates methods" },
  );
});

// -- Connected to events --

@emits("events", ["produced", "many"])
class Producer {
  declare readonly events: Events<{
    produced: [product: string];
    many: [a: number, b: number, c: number, d: number, e: number, f: number];
  }>;
}

@hasEventLoop("eventLoop")
class Receiver {
  declare eventLoop: EventLoop;
  readonly seen: unknown[][] = [];

  @slot
  onProduced(product: string): void {
    if (product === "bad") throw new Error("Receiver refuses bad products");
    this.seen.push([product]);
  }

  @slot
  onMany(a: number, b: number, c: number, d: number, e: number, f: number): void {
    this.seen.push([a, b, c, d, e, f]);
  }
}

Deno.test("An event connected to a @slot queues it on the receiver's loop, with all its arguments", async () => {
  const producer = new Producer();
  const receiver = new Receiver();
  connect(producer, receiver);
  producer.events.produced("cake");
  producer.events.many(1, 2, 3, 4, 5, 6);
  assert.deepEqual(receiver.seen, []);
  assert.equal(receiver.eventLoop.pending, 2);
  await receiver.eventLoop.stop();
  assert.deepEqual(receiver.seen, [["cake"], [1, 2, 3, 4, 5, 6]]);
});

Deno.test("An event connected to a @slot follows the receiver's loop when it is reassigned", async () => {
  const producer = new Producer();
  const receiver = new Receiver();
  connect(producer, "produced", receiver);
  const shared = new EventLoop();
  receiver.eventLoop = shared;
  producer.events.produced("cake");
  assert.equal(shared.pending, 1);
  await shared.stop();
  assert.deepEqual(receiver.seen, [["cake"]]);
});

Deno.test("A failing @slot reached through an event goes to the receiver's loop policy", async () => {
  const producer = new Producer();
  const receiver = new Receiver();
  receiver.eventLoop = new EventLoop({ exitOnException: false });
  const exceptions: unknown[] = [];
  connect(receiver.eventLoop, "exception", (error) => exceptions.push(error));
  connect(producer, receiver);
  producer.events.produced("bad"); // the emitter neither throws nor gets a rejection
  producer.events.produced("good");
  await receiver.eventLoop.stop();
  assert.deepEqual(receiver.seen, [["good"]]);
  assert.deepEqual(exceptions.map((error) => (error as Error).message), [
    "Receiver refuses bad products",
  ]);
});

Deno.test("An event connected to a @slot of an object without a loop runs it at once", () => {
  @emits("events", ["produced"])
  class Emitter {
    declare readonly events: Events<{ produced: [product: string, count: number] }>;
  }
  class Direct {
    readonly seen: unknown[][] = [];
    @slot
    onProduced(product: string, count: number): void {
      this.seen.push([product, count]);
    }
  }
  const emitter = new Emitter();
  const direct = new Direct();
  connect(emitter, direct);
  emitter.events.produced("cake", 2);
  assert.deepEqual(direct.seen, [["cake", 2]]);
});

Deno.test("A @slot throws a TypeError when a class field hides the @hasEventLoop attribute", () => {
  @hasEventLoop("eventLoop")
  class Shadowed {
    // A field, not `declare`: it hides the accessor @hasEventLoop defines.
    eventLoop!: EventLoop;
    readonly seen: string[] = [];

    @slot
    onProduced(product: string): void {
      this.seen.push(product);
    }
  }
  const shadowed = new Shadowed();
  const message =
    /^Cannot queue a slot call on Shadowed: its @hasEventLoop attribute "eventLoop" holds undefined, not an EventLoop \(declare it with `declare eventLoop: EventLoop`, not a class field\)$/;
  assert.throws(() => shadowed.onProduced("direct"), { name: "TypeError", message });
  @emits("events", ["produced"])
  class Emitter {
    declare readonly events: Events<{ produced: [product: string] }>;
  }
  const emitter = new Emitter();
  connect(emitter, shadowed);
  assert.throws(() => emitter.events.produced("emitted"), { name: "TypeError", message });
  assert.deepEqual(shadowed.seen, []);
});

Deno.test("A class field holding an EventLoop still serves as the object's loop", async () => {
  @hasEventLoop("eventLoop")
  class Fielded {
    eventLoop = new EventLoop();
    readonly seen: string[] = [];

    @slot
    onProduced(product: string): void {
      this.seen.push(product);
    }
  }
  const fielded = new Fielded();
  fielded.onProduced("queued");
  assert.deepEqual(fielded.seen, []);
  await fielded.eventLoop.stop();
  assert.deepEqual(fielded.seen, ["queued"]);
});
