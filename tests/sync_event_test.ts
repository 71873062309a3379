import assert from "node:assert/strict";
import { Events, SyncEvent, SyncEventTimeoutError } from "@mreventloop/core";

function makeEvents() {
  return new Events<{ none: []; one: [value: string]; two: [a: string, b: number] }>([
    "none",
    "one",
    "two",
  ]);
}

Deno.test("SyncEvent resolves with the single argument of the next emission", async () => {
  const events = makeEvents();
  const next = new SyncEvent(events.one);
  queueMicrotask(() => events.one("first"));
  assert.equal(await next, "first");
});

Deno.test("SyncEvent counts an emission between construction and await", async () => {
  const events = makeEvents();
  const next = new SyncEvent(events.one);
  events.one("early");
  events.one("later");
  assert.equal(await next, "early");
});

Deno.test("SyncEvent resolves several arguments as an array and none as undefined", async () => {
  const events = makeEvents();
  const two = new SyncEvent(events.two);
  const none = new SyncEvent(events.none);
  events.two("a", 1);
  events.none();
  assert.deepEqual(await two, ["a", 1]);
  assert.equal(await none, undefined);
});

Deno.test("SyncEvent detaches its listener once it fired", async () => {
  const events = makeEvents();
  const next = new SyncEvent(events.one);
  assert.equal(events.one.listenerCount, 1);
  events.one("x");
  assert.equal(events.one.listenerCount, 0);
  assert.equal(await next, "x");
});

Deno.test("SyncEvent ignores emissions from before it was constructed", async () => {
  const events = makeEvents();
  events.one("before");
  const next = new SyncEvent(events.one);
  events.one("after");
  assert.equal(await next, "after");
});

// -- Abort and timeout --

Deno.test("SyncEvent rejects with the signal's reason when aborted, and detaches", async () => {
  const events = makeEvents();
  const controller = new AbortController();
  const next = new SyncEvent(events.one, { signal: controller.signal });
  const reason = new Error("no longer needed");
  controller.abort(reason);
  await assert.rejects(Promise.resolve(next), (error) => error === reason);
  assert.equal(events.one.listenerCount, 0);
});

Deno.test("SyncEvent rejects at once for a signal aborted before construction", async () => {
  const events = makeEvents();
  const next = new SyncEvent(events.one, { signal: AbortSignal.abort("gone") });
  assert.equal(events.one.listenerCount, 0);
  await assert.rejects(Promise.resolve(next), (error) => error === "gone");
});

Deno.test("SyncEvent rejects with SyncEventTimeoutError naming the event after its timeout", async () => {
  const events = makeEvents();
  const next = new SyncEvent(events.one, { timeout: 0 });
  await assert.rejects(Promise.resolve(next), (error) => {
    assert.ok(error instanceof SyncEventTimeoutError);
    assert.equal(
      error.message,
      'Timed out waiting for event "one": nothing was emitted within 0 ms',
    );
    return true;
  });
  assert.equal(events.one.listenerCount, 0);
});

Deno.test("SyncEvent clears its timer and abort listener when the event fires", async () => {
  const events = makeEvents();
  const controller = new AbortController();
  const next = new SyncEvent(events.one, { signal: controller.signal, timeout: 60_000 });
  events.one("in time");
  assert.equal(await next, "in time");
  controller.abort(); // must not reject anything: the listener is gone
});

Deno.test("a SyncEvent that times out unawaited is not an unhandled rejection", async () => {
  const events = makeEvents();
  new SyncEvent(events.one, { timeout: 0 });
  await new SyncEvent(events.none, { timeout: 1 }).then(undefined, () => {});
  assert.equal(events.one.listenerCount, 0);
});

Deno.test("SyncEvent rejects bad arguments at construction", () => {
  const events = makeEvents();
  assert.throws(() => new SyncEvent((() => {}) as never), {
    name: "TypeError",
    message: "Cannot create SyncEvent: expected an Event, received function (anonymous)",
  });
  assert.throws(() => new SyncEvent(events.one, { timeout: -1 }), {
    name: "RangeError",
    message:
      'Cannot create SyncEvent for "one": timeout must be a number of milliseconds from 0 to 2^31-1, received number -1',
  });
});
