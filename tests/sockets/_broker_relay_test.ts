/**
 * Both builds of a broker's relay, through the interface `Broker` uses: libzmq by FFI (the one
 * used on Linux) and zeromq.js's `zmq.Proxy` (the fallback elsewhere).
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  assertNothingOpen,
  guard,
  RawPublisher,
  RawSubscriber,
  tempEndpoints,
  text,
} from "./_fixtures/helpers.ts";
import { type BrokerRelay, ZeromqRelay } from "../../src/sockets/_broker_relay.ts";
import { NativeRelay } from "../../src/sockets/_native_relay.ts";
import { loadLibzmq } from "../../src/sockets/_libzmq.ts";

const builds: [string, () => BrokerRelay][] = [["zeromq.js", () => new ZeromqRelay(0)]];
const lib = loadLibzmq();
if (Deno.build.os === "linux") {
  assert.ok(lib !== null, "libzmq must be reachable by FFI on Linux");
  builds.push(["FFI", () => new NativeRelay(lib, 0)]);
}

for (const [build, open] of builds) {
  Deno.test(`The ${build} relay relays every part, filtered, and closes`, async () => {
    await using eps = await tempEndpoints();
    const relay = open();
    try {
      assert.equal(await relay.bindIn(eps.inEndpoint), eps.inEndpoint);
      assert.equal(await relay.bindOut(eps.outEndpoint), eps.outEndpoint);
      await relay.start();
      await using subscriber = new RawSubscriber(eps.inEndpoint, ["sync:", "wanted"]);
      await using publisher = new RawPublisher(eps.outEndpoint);
      await publisher.sync(subscriber);
      await publisher.send(["unwanted"]);
      await publisher.send(["wanted 1", "part 2"]);
      const got = await guard(
        subscriber.next((m) => text(m[0]).startsWith("wanted")),
        5000,
        "the wanted message",
      );
      assert.deepEqual(got.map(text), ["wanted 1", "part 2"]);
      assert.ok(!subscriber.messages.some((m) => text(m[0]) === "unwanted"));
    } finally {
      await relay.close();
    }
    await relay.done;
    assertNothingOpen();
  });

  Deno.test(`The ${build} relay binds a free TCP port and reports the endpoint bound`, async () => {
    const relay = open();
    try {
      const bound = await relay.bindIn("tcp://127.0.0.1:0");
      assert.match(bound, /^tcp:\/\/127\.0\.0\.1:[1-9]\d*$/);
      await assert.rejects(
        relay.bindOut(bound),
        (error: { code?: string }) => error.code === "EADDRINUSE",
      );
    } finally {
      await relay.close();
    }
    await relay.done;
    assertNothingOpen();
  });
}
