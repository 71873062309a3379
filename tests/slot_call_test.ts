import { EventLoop, SlotCall } from "@mreventloop/core";
import assert from "node:assert/strict";

/** A loop that reports exceptions as events instead of exiting, for failing calls. */
function quietLoop(): EventLoop {
  return new EventLoop({ exitOnException: false });
}

function failing(message: string): () => never {
  return () => {
    throw new Error(message);
  };
}

Deno.test("SlotCall.then() gets the result once the loop has run the call", async () => {
  const loop = new EventLoop();
  const call = loop.enqueue((a: number, b: number) => a + b, 2, 3);
  const doubled = call.then((sum) => sum * 2);
  assert.ok(doubled instanceof Promise);
  await using _ = loop.start();
  assert.equal(await doubled, 10);
});

Deno.test("SlotCall.then() and catch() get the error of a failing call", async () => {
  await using loop = quietLoop().start();
  const call = loop.enqueue(failing("the call failed"));
  const viaThen = call.then(() => "fulfilled", (error) => (error as Error).message);
  const viaCatch = call.catch((error) => (error as Error).message);
  assert.equal(await viaThen, "the call failed");
  assert.equal(await viaCatch, "the call failed");
});

Deno.test("SlotCall.finally() runs after either outcome and passes it on", async () => {
  await using loop = quietLoop().start();
  const log: string[] = [];
  const ok = loop.enqueue(() => "ok").finally(() => log.push("after ok"));
  const bad = loop.enqueue(failing("bad")).finally(() => log.push("after bad"));
  assert.equal(await ok, "ok");
  await assert.rejects(bad, { message: "bad" });
  assert.deepEqual(log, ["after ok", "after bad"]);
});

Deno.test("SlotCall.settled turns true once the loop has run the call, awaited or not", async () => {
  const loop = quietLoop();
  const ok = loop.enqueue(() => "ok");
  const bad = loop.enqueue(failing("bad"));
  const later = loop.enqueue(async () => {
    await Promise.resolve();
    return "later";
  });
  assert.equal(ok.settled, false);
  assert.equal(bad.settled, false);
  assert.equal(later.settled, false);
  await loop.stop();
  assert.equal(ok.settled, true);
  assert.equal(bad.settled, true);
  assert.equal(later.settled, true);
});

Deno.test("Awaiting a SlotCall after it settled gives its result or its error, every time", async () => {
  const loop = quietLoop();
  const ok = loop.enqueue(async () => {
    await Promise.resolve();
    return "result";
  });
  const bad = loop.enqueue(failing("error"));
  await loop.stop();
  assert.equal(await ok, "result");
  assert.equal(await ok, "result");
  await assert.rejects(bad, { message: "error" });
  await assert.rejects(bad, { message: "error" });
});

Deno.test("A failing SlotCall nobody awaits is not an unhandled rejection", async () => {
  // Deno fails a test with an unhandled rejection: not awaiting these calls is the proof.
  const loop = quietLoop();
  let exceptions = 0;
  loop.events.exception.addListener(() => exceptions++);
  loop.enqueue(failing("sync failure nobody awaits"));
  loop.enqueue(() => Promise.reject(new Error("async failure nobody awaits")));
  await loop.stop();
  assert.equal(exceptions, 2);
});

Deno.test("A SlotCall works wherever a Promise does", async () => {
  await using loop = new EventLoop().start();
  const calls = [1, 2, 3].map((n) => loop.enqueue((x: number) => x * 10, n));
  assert.ok(calls[0] instanceof SlotCall);
  assert.deepEqual(await Promise.all(calls), [10, 20, 30]);
  assert.equal(await Promise.race([loop.enqueue(() => "first")]), "first");
  assert.equal(String(loop.enqueue(() => {})), "[object SlotCall]");
  const fromAsync = async () => await loop.enqueue(() => "awaited in an async function");
  assert.equal(await fromAsync(), "awaited in an async function");
});
