import assert from "node:assert/strict";
import { assertNothingOpen, guard } from "./_fixtures/helpers.ts";
import { openPublisher } from "../../src/sockets/_zmq.ts";

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
