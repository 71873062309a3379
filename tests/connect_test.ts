import assert from "node:assert/strict";
import {
  connect,
  disconnect,
  emits,
  type EventLoop,
  Events,
  forwards,
  hasEventLoop,
  slot,
  Spy,
} from "@mreventloop/core";

// -- Fixtures: the original's producer/consumer loop, without event loops --

@forwards(["onResult"])
@emits("events", ["result"])
class Producer {
  declare readonly events: Events<{ result: [product: string] }>;
  declare onResult: (product: string) => void;
  constructor(readonly product: string) {}
  @slot
  onRequest(): void {
    this.events.result(this.product);
  }
}

@forwards(["onRequest"])
@emits("events", ["request"])
class Consumer {
  declare readonly events: Events<{ request: [] }>;
  declare onRequest: () => void;
  result: string[] = [];
  @slot
  onResult(result: string): void {
    this.result.push(result);
  }
}

@emits("events", ["request"])
class Integrated {
  declare readonly events: Events<{ request: [] }>;
  result: string[] = [];
  constructor(readonly producer: Producer) {
    connect(this, producer);
    connect(producer, this);
  }
  @slot
  onResult(result: string): void {
    this.result.push(result);
  }
}

// -- The original's scenarios --

Deno.test("connect() by event and slot name closes a request/result loop", () => {
  const consumer = new Consumer();
  const producer = new Producer("product");
  connect(consumer, "request", producer, "onRequest");
  connect(producer, "result", consumer, "onResult");
  consumer.events.request();
  consumer.events.request();
  assert.deepEqual(consumer.result, ["product", "product"]);
});

Deno.test("connect(emitter, receiver) connects every event to its on… slot", () => {
  const consumer = new Consumer();
  const producer = new Producer("product");
  connect(consumer, producer);
  connect(producer, consumer);
  consumer.events.request();
  consumer.events.request();
  assert.deepEqual(consumer.result, ["product", "product"]);
});

Deno.test("connect() with lists connects events to slots pairwise", () => {
  const consumer = new Consumer();
  const producer = new Producer("product");
  connect(consumer, ["request"], producer, ["onRequest"]);
  connect(producer, ["result"], consumer, ["onResult"]);
  consumer.events.request();
  assert.deepEqual(consumer.result, ["product"]);
});

Deno.test("forwarders chain requests and results through several objects", () => {
  const consumer = new Consumer();
  const consumer2 = new Consumer();
  const producer = new Producer("product");
  const producer2 = new Producer("foo");
  connect(consumer, "request", consumer2, "onRequest");
  connect(consumer2, "request", producer, "onRequest");
  connect(producer, "result", producer2, "onResult");
  connect(producer2, "result", consumer, "onResult");
  consumer.events.request();
  consumer.events.request();
  assert.deepEqual(consumer.result, ["product", "product"]);
  assert.deepEqual(consumer2.result, []);
});

Deno.test("a constructor can connect its own events", () => {
  const integrated = new Integrated(new Producer("product"));
  integrated.events.request();
  assert.deepEqual(integrated.result, ["product"]);
});

Deno.test("connect(emitter, 'event', fn) calls the function with the event's arguments", () => {
  const producer = new Producer("product");
  const seen: string[] = [];
  connect(producer, "result", (p) => seen.push(p));
  producer.onRequest();
  assert.deepEqual(seen, ["product"]);
});

Deno.test("connect(event, fn) connects to the event itself", () => {
  const producer = new Producer("made");
  const seen: string[] = [];
  connect(producer.events.result, (p) => seen.push(p));
  producer.onRequest();
  assert.deepEqual(seen, ["made"]);
});

Deno.test("blind connect maps snake_case and camelCase events to the same slot", () => {
  const events = new Events<{ request_product: [id: number]; requestProduct: [id: number] }>([
    "request_product",
    "requestProduct",
  ]);
  const spy = new Spy(["onRequestProduct"]);
  connect(events, "request_product", spy);
  connect(events, "requestProduct", spy);
  events.request_product(1);
  events.requestProduct(2);
  assert.deepEqual(spy.calls.onRequestProduct, [[1], [2]]);
});

Deno.test("connect() with a list of events and no slots connects each blind", () => {
  const events = new Events(["first_event", "second"]);
  const spy = new Spy(["onFirstEvent", "onSecond"]);
  connect(events, ["first_event", "second"], spy);
  events.first_event("a");
  events.second("b", "c");
  assert.deepEqual(spy.calls, { onFirstEvent: [["a"]], onSecond: [["b", "c"]] });
});

Deno.test("the receiver may be a plain namespace of functions", () => {
  const events = new Events<{ produced: [string] }>(["produced"]);
  const seen: string[] = [];
  const publish = { produced: (p: string) => seen.push(p) };
  connect(events, "produced", publish, "produced");
  events.produced("over the wire");
  assert.deepEqual(seen, ["over the wire"]);
});

Deno.test("a receiver's method is called with the receiver as `this`", () => {
  const events = new Events<{ tick: [] }>(["tick"]);
  class Counter {
    count = 0;
    onTick() {
      this.count++;
    }
  }
  const counter = new Counter();
  connect(events, counter);
  events.tick();
  events.tick();
  assert.equal(counter.count, 2);
});

Deno.test("connect() to a @slot of an object with a loop queues the call", async () => {
  @hasEventLoop("eventLoop")
  class Looped {
    declare eventLoop: EventLoop;
    seen: string[] = [];
    @slot
    onResult(p: string) {
      this.seen.push(p);
    }
  }
  const producer = new Producer("queued");
  const looped = new Looped();
  connect(producer, looped);
  producer.onRequest();
  assert.deepEqual(looped.seen, []);
  await looped.eventLoop.stop();
  assert.deepEqual(looped.seen, ["queued"]);
});

// -- Disconnect --

Deno.test("disconnect(emitter, 'event') removes every listener of that event", () => {
  const consumer = new Consumer();
  const producer = new Producer("product");
  connect(consumer, "request", producer, "onRequest");
  connect(producer, "result", consumer, "onResult");
  consumer.events.request();
  disconnect(producer, "result");
  consumer.events.request();
  assert.deepEqual(consumer.result, ["product"]);
});

Deno.test("disconnect() undoes each form of connect()", () => {
  const events = new Events<{ a_b: [n: number]; c: [n: number] }>(["a_b", "c"]);
  const spy = new Spy(["onAB", "onC", "other"]);
  const fn = (n: number) => spy.other(n);

  connect(events.a_b, fn);
  disconnect(events.a_b, fn);
  connect(events, "a_b", fn);
  disconnect(events, "a_b", fn);
  connect(events, "a_b", spy, "onAB");
  disconnect(events, "a_b", spy, "onAB");
  connect(events, "a_b", spy);
  disconnect(events, "a_b", spy);
  connect(events, ["a_b", "c"], spy, ["onAB", "onC"]);
  disconnect(events, ["a_b", "c"], spy, ["onAB", "onC"]);
  connect(events, ["a_b", "c"], spy);
  disconnect(events, ["a_b", "c"], spy);
  connect(events, spy);
  disconnect(events, spy);

  events.a_b(1);
  events.c(2);
  assert.deepEqual(spy.calls, { onAB: [], onC: [], other: [] });
  assert.equal(events.a_b.listenerCount, 0);
  assert.equal(events.c.listenerCount, 0);
});

Deno.test("disconnect(event) and disconnect(emitter) remove all listeners", () => {
  const events = new Events(["x", "y"]);
  connect(events, "x", () => assert.fail("x still connected"));
  connect(events, "y", () => assert.fail("y still connected"));
  disconnect(events.x);
  events.x();
  assert.equal(events.y.listenerCount, 1);
  connect(events, "x", () => assert.fail("x still connected"));
  disconnect(events);
  events.x();
  events.y();
});

Deno.test("disconnect() of what was never connected does nothing", () => {
  const events = new Events(["x"]);
  const spy = new Spy(["onX"]);
  connect(events, "x", () => {});
  disconnect(events, "x", spy);
  disconnect(events, "x", () => {});
  assert.equal(events.x.listenerCount, 1);
});

Deno.test("the Connection from connect() disconnects at the end of a using scope", () => {
  const producer = new Producer("product");
  const consumer = new Consumer();
  {
    using connection = connect(producer, consumer);
    assert.equal(connection.size, 1);
    producer.onRequest();
  }
  producer.onRequest();
  assert.deepEqual(consumer.result, ["product"]);
});

Deno.test("Connection.disconnect() removes only its own links and is idempotent", () => {
  const events = new Events<{ x: [] }>(["x"]);
  let calls = 0;
  const listener = () => calls++;
  const first = connect(events, "x", listener);
  connect(events, "x", listener);
  first.disconnect();
  first.disconnect();
  events.x();
  assert.equal(calls, 1);
});

// -- Misuse --

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TypeError, `expected a TypeError, got ${error}`);
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("connect() throws naming the class and event when the event is unknown", () => {
  const producer = new Producer("p");
  rejects(
    () => connect(producer, "reslt" as "result", () => {}),
    /^Cannot connect Producer\.reslt: Producer has no event "reslt" \(its events: result\)$/,
  );
});

Deno.test("connect() throws naming the receiver when the slot is missing", () => {
  const producer = new Producer("p");
  const consumer = new Consumer();
  rejects(
    () => connect(producer, "result", consumer, "onReslt" as "onResult"),
    /^Cannot connect Producer\.result: Consumer has no slot "onReslt"$/,
  );
  rejects(
    () => connect(producer, "result", {} as Consumer),
    /^Cannot connect Producer\.result: Object has no slot "onResult"$/,
  );
});

Deno.test("connect() throws when the named slot is not a function", () => {
  const events = new Events(["x"]);
  rejects(
    () => connect(events, "x", { onX: 42 } as never),
    /^Cannot connect Events\.x: Object has no slot "onX" \(Object\.onX is number 42\)$/,
  );
});

Deno.test("connect() throws when the listener is not a function", () => {
  const events = new Events(["x"]);
  rejects(
    () => connect(events.x, "nope" as never),
    /^Cannot connect event "x": the listener must be a function, received string "nope"$/,
  );
  rejects(
    () => events.x.addListener(null as never),
    /^Cannot connect to event "x": the listener must be a function, received null$/,
  );
});

Deno.test("connect() throws when the lists differ in length", () => {
  const events = new Events(["a", "b"]);
  rejects(
    () => connect(events, ["a", "b"], new Spy(["onA"]), ["onA"] as never),
    /^Cannot connect Events: 2 events \[a, b\] but 1 slots \[onA\]; the lists must have the same length$/,
  );
});

Deno.test("connect(emitter, receiver) throws when no slot matches", () => {
  rejects(
    () => connect(new Producer("p"), { unrelated() {} } as never),
    /^Cannot connect Producer to Object: it has none of the slots onResult$/,
  );
});

Deno.test("connect() throws when the emitter has no events", () => {
  class Plain {}
  rejects(
    () => connect(new Plain() as never, "x" as never, () => {}),
    /^Cannot connect Plain: it emits no events/,
  );
  rejects(
    () => connect(null as never, "x" as never, () => {}),
    /^Cannot connect: the emitter must be an object with events, received null$/,
  );
  const twice = { a: new Events(["x"]), b: new Events(["y"]) };
  rejects(
    () => connect(twice as never, "x" as never, () => {}),
    /it holds several Events \(a, b\)/,
  );
});

Deno.test("connect() throws when the receiver is not an object", () => {
  const events = new Events(["x"]);
  rejects(
    () => connect(events, "x", 5 as never, "onX" as never),
    /^Cannot connect Events\.x: the receiver must be an object with slots, received number 5$/,
  );
});

Deno.test("connect() with an unsupported shape of arguments throws", () => {
  const events = new Events(["x"]);
  rejects(
    () => (connect as (...args: unknown[]) => unknown)(events, 1, 2, 3, 4),
    /^Cannot connect Events: unsupported arguments/,
  );
  rejects(
    () => (connect as (...args: unknown[]) => unknown)(events, () => {}),
    /^Cannot connect Events to function .*: to connect a function, name the event/,
  );
});

Deno.test("an emitter holding Events in one property is an emitter without @emits", () => {
  const emitter = { events: new Events<{ ping: [number] }>(["ping"]) };
  const seen: number[] = [];
  connect(emitter, "ping", (n) => seen.push(n));
  emitter.events.ping(3);
  assert.deepEqual(seen, [3]);
});

Deno.test("a class field shadowing the @emits attribute is reported at connect", () => {
  // @ts-expect-error: the compiler sees it too — `events` is not an Events
  @emits("events", ["x"])
  class Shadowed {
    events = undefined;
  }
  rejects(
    () => connect(new Shadowed() as never, "x" as never, () => {}),
    /its @emits attribute "events" holds undefined/,
  );
});
