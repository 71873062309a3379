import assert from "node:assert/strict";
import { connect, emits, Event, Events } from "@mreventloop/core";

Deno.test("Events dispatches to one listener", () => {
  const events = new Events(["event1"]);
  const seen: unknown[] = [];
  events.event1.addListener((x: unknown) => seen.push(x));
  events.event1("a");
  assert.deepEqual(seen, ["a"]);
});

Deno.test("Events dispatches each event only to its own listeners", () => {
  const events = new Events(["event1", "event2"]);
  const seen: string[] = [];
  events.event1.addListener((x: string) => seen.push(`1:${x}`));
  events.event1.addListener((x: string) => seen.push(`1':${x}`));
  events.event2.addListener((x: string) => seen.push(`2:${x}`));
  events.event1("a");
  events.event2("b");
  assert.deepEqual(seen, ["1:a", "1':a", "2:b"]);
});

Deno.test("Events.add() adds an event that dispatches like the others", () => {
  const events = new Events(["event1"]);
  const added = events.add("event3");
  assert.equal(added, events);
  const seen: string[] = [];
  added.event3.addListener((x: string) => seen.push(x));
  added.event3("late");
  assert.deepEqual(seen, ["late"]);
  assert.deepEqual(Object.keys(events), ["event1", "event3"]);
});

Deno.test("Events dispatches no more after a listener is removed", () => {
  const events = new Events(["event1"]);
  let calls = 0;
  const listener = () => calls++;
  events.event1.addListener(listener);
  events.event1();
  events.event1.removeListener(listener);
  events.event1();
  assert.equal(calls, 1);
});

Deno.test("Events' own enumerable keys are exactly its events, each an Event", () => {
  const events = new Events(["toString", "valueOf", "b"]);
  assert.deepEqual(Object.keys(events), ["toString", "valueOf", "b"]);
  for (const key of Object.keys(events)) {
    assert.ok((events as unknown as Record<string, unknown>)[key] instanceof Event);
  }
  assert.ok(events instanceof Events);
});

Deno.test("Events refuses duplicate, reserved, empty and non-string names", () => {
  assert.throws(() => new Events(["a", "a"]), {
    name: "TypeError",
    message: 'Cannot add event "a": it is already declared',
  });
  assert.throws(() => new Events(["add"]), {
    name: "TypeError",
    message: 'Cannot add event "add": the name is reserved',
  });
  assert.throws(() => new Events([""]), {
    name: "TypeError",
    message: 'Cannot add event: its name must be a non-empty string, received string ""',
  });
  assert.throws(() => new Events([1 as unknown as string]), {
    name: "TypeError",
    message: "Cannot add event: its name must be a non-empty string, received number 1",
  });
  assert.throws(() => new Events("ab" as unknown as string[]), {
    name: "TypeError",
    message: 'Cannot create Events: names must be an array of strings, received string "ab"',
  });
});

// -- @emits --

@emits("events", ["produced"])
class Producer {
  declare readonly events: Events<{ produced: [product: string] }>;
  seenInConstructor: boolean;
  constructor() {
    this.seenInConstructor = this.events.produced instanceof Event;
  }
}

Deno.test("@emits gives each instance its own namespace, available in the constructor", () => {
  const a = new Producer();
  const b = new Producer();
  assert.ok(a.seenInConstructor);
  assert.notEqual(a.events, b.events);
  const seen: string[] = [];
  connect(a, "produced", (p) => seen.push(p));
  b.events.produced("not seen");
  a.events.produced("seen");
  assert.deepEqual(seen, ["seen"]);
});

Deno.test("@emits copies the names, so later changes to the array do not leak in", () => {
  const names: ("x" | "y")[] = ["x"];
  @emits("signals", names)
  class Emitter {
    declare readonly signals: Events<{ x: []; y: [] }>;
  }
  names.push("y");
  assert.deepEqual(Object.keys(new Emitter().signals), ["x"]);
});

Deno.test("@emits rejects bad arguments when the class is defined", () => {
  assert.throws(() => emits("", ["x"]), {
    name: "TypeError",
    message: 'Cannot apply @emits: the attribute must be a non-empty string, received string ""',
  });
  assert.throws(() => emits("events", ["x", "x"]), {
    name: "TypeError",
    message: 'Cannot add event "x": it is already declared',
  });
});

Deno.test("reading an @emits attribute on the prototype throws instead of sharing one namespace", () => {
  assert.throws(() => (Producer.prototype as { events: unknown }).events, {
    name: "TypeError",
    message:
      "Cannot read Producer.prototype.events: each instance has its own; read it on an instance",
  });
  assert.notEqual(new Producer().events, new Producer().events);
});
