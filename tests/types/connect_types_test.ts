// Misuses the compiler must reject: type-checked by `deno check` and `deno test`, never run.
import {
  connect,
  disconnect,
  emits,
  Event,
  type EventLoop,
  Events,
  hasEventLoop,
  slot,
  Spy,
  SyncEvent,
} from "@mreventloop/core";

@emits("events", ["produced", "request_product"])
export class Producer {
  declare readonly events: Events<{ produced: [product: string]; request_product: [id: number] }>;
}

@hasEventLoop("eventLoop")
export class Consumer {
  declare eventLoop: EventLoop;
  @slot
  onProduced(_product: string): void {}
  @slot
  onRequestProduct(_id: number): void {}
  count(_n: number): void {}
}

export function misuses(producer: Producer, consumer: Consumer): void {
  // Emitting an undeclared event.
  // @ts-expect-error: Property 'prodcued' does not exist
  producer.events.prodcued("x");

  // Emitting with wrong argument types, or too few or too many.
  // @ts-expect-error: number is not assignable to string
  producer.events.produced(42);
  // @ts-expect-error: expected 1 argument
  producer.events.produced();
  // @ts-expect-error: expected 1 argument, got 2
  producer.events.produced("a", "b");

  // Connecting an unknown event by name.
  // @ts-expect-error: "prodcued" is not an event of Producer
  connect(producer, "prodcued", (_p: string) => {});

  // Connecting a function whose parameters do not fit the event.
  // @ts-expect-error: (n: number) => void does not take a string
  connect(producer, "produced", (_n: number) => {});
  // @ts-expect-error: same, on the event itself
  connect(producer.events.produced, (_n: number) => {});

  // Connecting to a slot name the receiver lacks, or to a slot that does not fit.
  // @ts-expect-error: Consumer has no slot "onPrduced"
  connect(producer, "produced", consumer, "onPrduced");
  // @ts-expect-error: Consumer.count takes a number, produced gives a string
  connect(producer, "produced", consumer, "count");

  // Blind connect to a receiver without the matching on… slot.
  // @ts-expect-error: the receiver has no onProduced
  connect(producer, "produced", { onOther: () => {} });

  // Lists of different lengths.
  // @ts-expect-error: two events but one slot
  connect(producer, ["produced", "request_product"], consumer, ["onProduced"]);

  // Lists: a slot that does not fit its paired event.
  // @ts-expect-error: onRequestProduct takes a number, produced gives a string
  connect(producer, ["produced", "request_product"], consumer, ["onRequestProduct", "onProduced"]);

  // Whole-object connect is checked at run time only (see connect's overloads).
  connect(producer, consumer);

  // Disconnect checks names too.
  // @ts-expect-error: "prodcued" is not an event of Producer
  disconnect(producer, "prodcued");

  // Events and SyncEvent keep their types.
  const events = new Events<{ tick: [n: number] }>(["tick"]);
  // @ts-expect-error: "tock" is not declared in the map
  new Events<{ tick: [n: number] }>(["tick", "tock"]);
  // @ts-expect-error: string is not a number
  events.tick("1");
  const next: Promise<number> = Promise.resolve(new SyncEvent(events.tick));
  // @ts-expect-error: a SyncEvent of tick resolves with a number, not a string
  const wrong: Promise<string> = Promise.resolve(new SyncEvent(events.tick));
  void next;
  void wrong;

  // A standalone Event checks its listeners.
  const ev = new Event<[a: string, b: number]>("pair");
  // @ts-expect-error: the listener's second parameter must accept a number
  ev.addListener((_a: string, _b: string) => {});

  // @emits checks that the declared namespace matches the names given.
  // @ts-expect-error: "produced" is declared but not listed
  @emits("events", ["other"])
  class Mismatch {
    declare readonly events: Events<{ produced: [string] }>;
  }
  void Mismatch;

  // A Spy has only the slots it was made with.
  const spy = new Spy(["onProduced"]);
  // @ts-expect-error: the spy has no onOther
  spy.onOther("x");
}

@hasEventLoop("eventLoop")
@emits("events", ["request", "other_thing"])
export class SelfConnected {
  declare readonly events: Events<{ request: [n: number]; other_thing: [s: string] }>;
  declare eventLoop: EventLoop;
  constructor() {
    // Inside the class `this` is generic to TypeScript; every form still type-checks.
    connect(this, "request", (n: number) => n.toFixed());
    connect(this, "request", this, "onRequest");
    connect(this, "request", this);
    connect(this, ["request", "other_thing"], this, ["onRequest", "onOtherThing"]);
    connect(this, ["request", "other_thing"], this);
    connect(this, this);
    disconnect(this, "request", this, "onRequest");
    // @ts-expect-error: the listener must take a number
    connect(this, "request", (n: string) => n);
    // @ts-expect-error: onOtherThing takes a string, request gives a number
    connect(this, "request", this, "onOtherThing");
  }
  @slot
  onRequest(_n: number): void {}
  @slot
  onOtherThing(_s: string): void {}
}

export function correctUses(producer: Producer, consumer: Consumer): void {
  connect(producer, "produced", consumer, "onProduced");
  connect(producer, "produced", consumer);
  connect(producer, consumer);
  connect(producer, ["produced", "request_product"], consumer, ["onProduced", "onRequestProduct"]);
  connect(producer, ["produced", "request_product"], consumer);
  connect(producer, "produced", (product) => product.toUpperCase());
  connect(producer.events.request_product, (id) => id.toFixed());
  const spy = new Spy(["onProduced", "onRequestProduct"]);
  connect(producer, spy);
  const untyped = new Events(["a", "b"]);
  untyped.a(1, "two", { three: 3 });
  connect(untyped, "b", (x: number) => x);
}
