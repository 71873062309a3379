import assert from "node:assert/strict";
import {
  connect,
  emits,
  type EventLoop,
  Events,
  forwards,
  hasEventLoop,
  slot,
  Spy,
} from "@mreventloop/core";

@forwards(["onProcessedResult", "onResult"])
@emits("events", ["processed_result", "result"])
class Forwarder {
  declare readonly events: Events<{ processed_result: [r: string]; result: [r: string] }>;
  declare onProcessedResult: (r: string) => void;
  onResult(r: string): void {
    this.events.result(`own ${r}`);
  }
}

Deno.test("@forwards adds a forwarder that re-emits the snake_case event", () => {
  const forwarder = new Forwarder();
  const spy = new Spy(["onProcessedResult"]);
  connect(forwarder, "processed_result", spy);
  forwarder.onProcessedResult("x");
  assert.deepEqual(spy.calls.onProcessedResult, [["x"]]);
});

Deno.test("@forwards never overrides a method the class has", () => {
  const forwarder = new Forwarder();
  const seen: string[] = [];
  connect(forwarder, "result", (r) => seen.push(r));
  forwarder.onResult("x");
  assert.deepEqual(seen, ["own x"]);
});

Deno.test("@forwards re-emits a camelCase event and all arguments", () => {
  @forwards(["onTwoArgs"])
  @emits("events", ["twoArgs"])
  class CamelForwarder {
    declare readonly events: Events<{ twoArgs: [a: string, b: number] }>;
    declare onTwoArgs: (a: string, b: number) => void;
  }
  const forwarder = new CamelForwarder();
  const spy = new Spy(["onTwoArgs"]);
  connect(forwarder, spy);
  forwarder.onTwoArgs("a", 1);
  assert.deepEqual(spy.calls.onTwoArgs, [["a", 1]]);
});

Deno.test("@forwards with explicit event names forwards to those", () => {
  @forwards(["relay"], ["produced"])
  @emits("events", ["produced"])
  class Relay {
    declare readonly events: Events<{ produced: [p: string] }>;
    declare relay: (p: string) => void;
  }
  const relay = new Relay();
  const seen: string[] = [];
  connect(relay, "produced", (p) => seen.push(p));
  relay.relay("p");
  assert.deepEqual(seen, ["p"]);
});

Deno.test("a forwarder re-emits at once even when its object has an event loop", () => {
  @hasEventLoop("eventLoop")
  @forwards(["onResult"])
  @emits("events", ["result"])
  class Looped {
    declare readonly events: Events<{ result: [r: string] }>;
    declare eventLoop: EventLoop;
    declare onResult: (r: string) => void;
    @slot
    other(): void {}
  }
  const looped = new Looped();
  const seen: string[] = [];
  connect(looped, "result", (r) => seen.push(r));
  looped.onResult("now");
  assert.deepEqual(seen, ["now"]);
  assert.equal(looped.eventLoop.pending, 0);
});

Deno.test("@forwards throws when a slot matches no declared event", () => {
  assert.throws(
    () => {
      @forwards(["onMissing"])
      @emits("events", ["result"])
      class Broken {
        declare readonly events: Events<{ result: [] }>;
      }
      return Broken;
    },
    {
      name: "TypeError",
      message:
        'Cannot forward Broken.onMissing: Broken emits none of "missing" (its events: result)',
    },
  );
});

Deno.test("@forwards throws when the lists differ in length", () => {
  assert.throws(() => forwards(["onA", "onB"], ["a"]), {
    name: "TypeError",
    message:
      "Cannot apply @forwards: eventNames must be a list as long as slotNames (2), received an object of class Array",
  });
});

Deno.test("a forwarder on a class without @emits finds an Events property", () => {
  @forwards(["onPing"])
  class Plain {
    readonly events = new Events<{ ping: [n: number] }>(["ping"]);
    declare onPing: (n: number) => void;
  }
  const plain = new Plain();
  const seen: number[] = [];
  connect(plain, "ping", (n) => seen.push(n));
  plain.onPing(5);
  assert.deepEqual(seen, [5]);
});
