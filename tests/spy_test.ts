import assert from "node:assert/strict";
import { connect, Events, Spy, SyncEvent } from "@mreventloop/core";

Deno.test("Spy records the arguments of each call per slot", () => {
  const spy = new Spy(["onA", "onB"]);
  spy.onA(1);
  spy.onA(2, "x");
  spy.onB();
  assert.deepEqual(spy.calls, { onA: [[1], [2, "x"]], onB: [[]] });
});

Deno.test("Spy works as a receiver of every connect form", () => {
  const events = new Events(["produced", "other"]);
  const spy = new Spy(["onProduced", "record"]);
  connect(events, spy);
  connect(events, "other", spy, "record");
  events.produced("p");
  events.other("o");
  assert.deepEqual(spy.calls, { onProduced: [["p"]], record: [["o"]] });
});

Deno.test("Spy emits each call, so a test can await it", async () => {
  const spy = new Spy(["onProduced"]);
  const next = new SyncEvent(spy.events.onProduced);
  queueMicrotask(() => spy.onProduced("awaited"));
  assert.equal(await next, "awaited");
});

Deno.test("Spy rejects slot names that are not an array", () => {
  assert.throws(() => new Spy("onA" as never), {
    name: "TypeError",
    message: 'Cannot create Spy: slotNames must be an array of strings, received string "onA"',
  });
});
