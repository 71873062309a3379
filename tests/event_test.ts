import assert from "node:assert/strict";
import { Event } from "@mreventloop/core";

// -- Dispatch --

Deno.test("Event calls its listeners in connection order", () => {
  const event = new Event<[n: number]>("n");
  const order: string[] = [];
  event.addListener((n) => order.push(`a${n}`));
  event.addListener((n) => order.push(`b${n}`));
  event.addListener((n) => order.push(`c${n}`));
  event(1);
  assert.deepEqual(order, ["a1", "b1", "c1"]);
});

Deno.test("Event passes exactly the arguments emitted, for 0 to 7 arguments and 0 to 70 listeners", () => {
  for (const listenerCount of [0, 1, 2, 3, 10, 64, 65, 70]) {
    for (let argc = 0; argc <= 7; argc++) {
      const event = new Event("e");
      const received: unknown[][] = [];
      for (let i = 0; i < listenerCount; i++) {
        event.addListener(function (...args: unknown[]) {
          received.push(args);
        });
      }
      const args = Array.from({ length: argc }, (_, i) => `arg${i}`);
      event(...args);
      assert.equal(received.length, listenerCount, `${listenerCount} listeners, ${argc} args`);
      for (const got of received) {
        assert.deepEqual(got, args, `${listenerCount} listeners, ${argc} args`);
      }
    }
  }
});

Deno.test("two events with as many listeners keep their own listeners once dispatch is generated", () => {
  const a = new Event<[n: number]>("a");
  const b = new Event<[n: number]>("b");
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) {
    a.addListener((n) => n === 1099 && seen.push(`a${i}`));
    b.addListener((n) => n === 1099 && seen.push(`b${i}`));
  }
  for (let i = 0; i < 1100; i++) {
    a(i);
    b(i);
  }
  assert.deepEqual(seen, ["a0", "a1", "a2", "b0", "b1", "b2"]);
});

Deno.test("Event keeps distinguishing argument counts after listeners change", () => {
  const event = new Event("e");
  const counts: number[] = [];
  event.addListener((...args: unknown[]) => counts.push(args.length));
  event(1, 2);
  event.addListener((...args: unknown[]) => counts.push(args.length * 10));
  event(1, 2);
  event();
  assert.deepEqual(counts, [2, 2, 20, 0, 0]);
});

Deno.test("Event calls listeners without a `this`, generated or looped, 1 to 70 listeners", () => {
  for (const listenerCount of [1, 2, 10, 65, 70]) {
    const event = new Event<[n: number]>("e");
    const seen = new Set<unknown>();
    for (let i = 0; i < listenerCount; i++) {
      event.addListener(function (this: unknown) {
        seen.add(this);
      });
    }
    for (let i = 0; i < 1100; i++) event(i); // past the point where dispatch code is generated
    assert.deepEqual([...seen], [undefined], `${listenerCount} listeners`);
  }
});

Deno.test("Event calls listeners without a `this`", () => {
  const event = new Event("e");
  const thisValues: unknown[] = [];
  event.addListener(function (this: unknown) {
    thisValues.push(this);
  });
  event();
  event(1);
  event.addListener(function (this: unknown) {
    thisValues.push(this);
  });
  event(1);
  assert.deepEqual(thisValues, [undefined, undefined, undefined, undefined]);
});

Deno.test("a listener added twice is called twice and removed one connection at a time", () => {
  const event = new Event<[]>("e");
  let calls = 0;
  const listener = () => calls++;
  event.addListener(listener);
  event.addListener(listener);
  event();
  assert.equal(calls, 2);
  assert.equal(event.removeListener(listener), true);
  event();
  assert.equal(calls, 3);
  assert.equal(event.removeListener(listener), true);
  assert.equal(event.removeListener(listener), false);
  event();
  assert.equal(calls, 3);
});

Deno.test("listeners changed during an emission take effect from the next emission", () => {
  const event = new Event<[]>("e");
  const order: string[] = [];
  const second = () => order.push("second");
  event.addListener(() => {
    order.push("first");
    event.removeListener(second);
    event.addListener(() => order.push("late"));
  });
  event.addListener(second);
  event();
  assert.deepEqual(order, ["first", "second"]);
  order.length = 0;
  event();
  assert.deepEqual(order, ["first", "late"]);
});

Deno.test("an emission inside a listener runs nested, synchronously", () => {
  const event = new Event<[depth: number]>("e");
  const seen: number[] = [];
  event.addListener((depth) => {
    seen.push(depth);
    if (depth < 3) event(depth + 1);
  });
  event(0);
  assert.deepEqual(seen, [0, 1, 2, 3]);
});

Deno.test("a throwing listener propagates to the emitter and stops that emission", () => {
  const event = new Event<[]>("e");
  let after = 0;
  event.addListener(() => {
    throw new Error("listener failed");
  });
  event.addListener(() => after++);
  assert.throws(() => event(), /listener failed/);
  assert.equal(after, 0);
});

// -- Shape --

Deno.test("Event has its name, a listener count and instanceof", () => {
  const event = new Event("produced");
  assert.equal(event.name, "produced");
  assert.equal(event.listenerCount, 0);
  event.addListener(() => {});
  assert.equal(event.listenerCount, 1);
  event.removeAllListeners();
  assert.equal(event.listenerCount, 0);
  assert.ok(event instanceof Event);
  assert.equal(typeof event, "function");
});

Deno.test("Event refuses to be called without new, and a name that is not a string", () => {
  assert.throws(() => (Event as unknown as (name: string) => unknown)("x"), {
    name: "TypeError",
    message: "Cannot call Event as a function: create one with `new Event(name)`",
  });
  assert.throws(() => new Event(7 as unknown as string), {
    name: "TypeError",
    message: "Cannot create Event: its name must be a string, received number",
  });
});
