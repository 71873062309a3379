import assert from "node:assert/strict";
import type * as zmq from "zeromq";
import { assertNothingOpen, guard, tempEndpoints, text } from "./_fixtures/helpers.ts";
import { type Message, nextTurn, openSubscriber, type SafeSocket } from "../../src/sockets/_zmq.ts";
import { openPeerBeacon, openPeerPublisher } from "../../src/sockets/_peer_publisher.ts";

/**
 * Binds `sub`, subscribed to everything, on `endpoint` and connects `pub` to it; resolves once what
 * `pub` sends reaches `sub` (until the subscription reached it, a PUB socket drops what it is
 * given). Frames "sync" may still arrive after.
 */
async function connectAndSync(
  pub: SafeSocket<zmq.Publisher>,
  sub: SafeSocket<zmq.Subscriber>,
  endpoint: string,
): Promise<void> {
  sub.raw.subscribe("");
  await sub.raw.bind(endpoint);
  pub.raw.connect(endpoint);
  const subscribed = (async () => {
    while (text((await receive(sub))[0]) !== "sync");
  })();
  let synced = false;
  subscribed.then(() => synced = true);
  while (!synced) {
    await pub.send("sync");
    await nextTurn();
  }
  await guard(subscribed, 10_000, "the subscription");
}

/** The next message `sub` receives, waiting for it. */
async function receive(sub: SafeSocket): Promise<Message> {
  for (;;) {
    const message = await sub.receive();
    if (message !== null) return message;
    await sub.wait();
  }
}

Deno.test("A peer's publisher takes frames at once until its queue is full, and loses none", async () => {
  await using eps = await tempEndpoints();
  const sub = openSubscriber();
  const pub = openPeerPublisher();
  try {
    if (Deno.build.os === "linux") assert.equal(pub.raw.constructor.name, "NativePublisher");
    await connectAndSync(pub, sub, eps.inEndpoint);

    const special = ['grüße ✓ "q"', "x".repeat(100_000)]; // not ASCII; longer than the buffer
    // (zeromq.js, where FFI cannot reach libzmq, never sends at once: it takes send())
    for (const frame of special) assert.ok(pub.sendNow(frame) || await pub.send(frame));
    // nobody reads: the queues between the two sockets fill, and then the publisher says so. A
    // refused frame is offered again (ZeroMQ may have made room meanwhile): were it sent after all,
    // it would arrive twice
    const raw = pub.raw as unknown as { send(frame: string): Promise<void> };
    let taken = 0;
    let refusal: unknown = null;
    while (taken < 1_000_000 && refusal === null) {
      if (pub.sendNow(`n:${taken}`)) taken++;
      else await raw.send(`n:${taken}`).then(() => taken++, (error) => refusal = error);
    }
    assert.equal((refusal as { code?: unknown } | null)?.code, "EAGAIN", "a full queue refuses");

    const arrived: string[] = [];
    const all = (async () => {
      while (arrived.length < special.length + taken) {
        const frame = text((await receive(sub))[0]);
        if (frame !== "sync") arrived.push(frame);
      }
    })();
    await guard(all, 30_000, `all ${taken} frames`);
    assert.deepEqual(arrived.slice(0, 2), special);
    assert.ok(arrived.slice(2).every((frame, i) => frame === `n:${i}`), "every frame, in order");
  } finally {
    await pub.close();
    await sub.close();
  }
  assert.equal(pub.sendNow("after close"), false);
  assertNothingOpen();
});

Deno.test("A peer's beacon never refuses a frame: what its queue cannot hold is dropped", async () => {
  await using eps = await tempEndpoints();
  const sub = openSubscriber();
  const beacon = openPeerBeacon();
  try {
    if (Deno.build.os === "linux") assert.equal(beacon.raw.constructor.name, "NativePublisher");
    await connectAndSync(beacon, sub, eps.inEndpoint);
    // nobody reads: far more than the queues between the sockets hold, none of it refused
    // (zeromq.js, where FFI cannot reach libzmq, never sends at once: it takes send())
    const native = beacon.raw.constructor.name === "NativePublisher";
    for (let i = 0; i < 300_000; i++) {
      const beat = `beat:${i}`;
      if (native ? !beacon.sendNow(beat) : !await beacon.send(beat)) assert.fail(`${beat} refused`);
    }
  } finally {
    await beacon.close();
    await sub.close();
  }
  assertNothingOpen();
});

Deno.test("A closed native publisher refuses to send, with an error saying so", async () => {
  const pub = openPeerPublisher();
  const raw = pub.raw as unknown as { send(frame: string): Promise<void>; close(): void };
  await pub.close();
  if (Deno.build.os === "linux") {
    await assert.rejects(raw.send("late"), /Cannot send on a closed ZeroMQ PUB socket/);
  }
  assertNothingOpen();
});
