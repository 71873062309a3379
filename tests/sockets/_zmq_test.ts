import assert from "node:assert/strict";
import { assertNothingOpen, guard, text } from "./_fixtures/helpers.ts";
import { nextTurn, openPublisher } from "../../src/sockets/_zmq.ts";
import { openPeerSubscriber, receiveEach } from "../../src/sockets/_peer_subscriber.ts";

// -- Waiting --

Deno.test("SafeSocket.send() that succeeds wakes a wait in flight on the same socket", async () => {
  // A wait on a socket nothing happens to: without the wake-up it would never end. A send that
  // succeeds may have taken (processed) the signal such a wait was waiting for: a flush waiting
  // for room would wait forever after a probe sent on the same socket took the room announced.
  const pub = openPublisher();
  try {
    assert.equal(await pub.send("nobody listens"), true); // processes the commands queued so far
    const wakeups = pub.wakeups;
    const waiting = pub.wait();
    assert.equal(await pub.send("nobody listens"), true);
    await guard(waiting, 10_000, "the wait to be woken");
    assert.equal(pub.wakeups, wakeups + 1);
  } finally {
    await pub.close();
  }
  assertNothingOpen();
});

// -- Receiving through FFI --

Deno.test("A peer's subscriber receives long messages whole, and larger frames by their length", async () => {
  const sub = openPeerSubscriber(1000);
  const pub = openPublisher();
  try {
    if (Deno.build.os === "linux") assert.equal(sub.raw.constructor.name, "NativeSubscriber");
    sub.raw.subscribe("");
    const endpoint = `tcp://127.0.0.1:${await freePort()}`;
    await pub.raw.bind(endpoint);
    sub.raw.connect(endpoint);
    const parts = ["a", "b", "c", "d", "e"].map((c) => c.repeat(900)); // more than the buffer
    const received: string[][] = [];
    const lengths: number[] = [];
    const all = Promise.withResolvers<void>();
    const loop = receiveEach(sub, (message) => {
      if (received.length === 0 && text(message[0]) !== parts[0]) return; // before subscribed
      // frames are views the next receive overwrites: read them now
      received.push(message.map((frame) => text(frame.subarray(0, 10))));
      lengths.push(...message.map((frame) => frame.length));
      if (message[0][0] === 0x79) all.resolve(); // "y": the last one
    }, () => false);
    const sending = (async () => {
      for (let n = 0; received.length === 0; n++) {
        await pub.send(parts);
        await nextTurn();
      }
      await pub.send(["x".repeat(1001)]); // one byte over the limit: still whole
      await pub.send(["y".repeat(5000)]); // cut short by the buffer: its length and start only
    })();
    await guard(Promise.all([all.promise, sending]), 10_000, "every message");
    assert.deepEqual(received[0], parts.map((part) => part.slice(0, 10)));
    assert.deepEqual(lengths.slice(-7), [900, 900, 900, 900, 900, 1001, 5000]);
    assert.deepEqual(received.slice(-2), [["x".repeat(10)], ["y".repeat(10)]]);
    await sub.close();
    await loop;
  } finally {
    await pub.close();
    await sub.close();
  }
  assertNothingOpen();
});

async function freePort(): Promise<number> {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return await Promise.resolve((listener.addr as Deno.NetAddr).port);
}
