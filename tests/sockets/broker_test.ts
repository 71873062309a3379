import assert from "node:assert/strict";
import { Broker, BrokerBindError, Peer } from "@mreventloop/core/sockets";
import { SyncEvent } from "@mreventloop/core";
import {
  assertNothingOpen,
  bytes,
  guard,
  RawPublisher,
  RawSubscriber,
  Script,
  tempEndpoints,
  text,
} from "./_fixtures/helpers.ts";

// -- Binding --

Deno.test("Broker.start() binds both ipc endpoints and stop() removes their socket files", async () => {
  await using eps = await tempEndpoints();
  const broker = new Broker(eps.inEndpoint, eps.outEndpoint);
  assert.equal(await broker.start(), broker);
  assert.ok((await Deno.lstat(`${eps.dir}/in`)).isSocket);
  assert.ok((await Deno.lstat(`${eps.dir}/out`)).isSocket);
  await broker.stop();
  assert.deepEqual([...Deno.readDirSync(eps.dir)], []);
  await broker.stop(); // a second stop does nothing
  assertNothingOpen();
});

Deno.test("Broker.start() refuses an ipc endpoint a live broker holds, and that broker keeps working", async () => {
  await using eps = await tempEndpoints();
  await using first = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  for (
    const [inEndpoint, outEndpoint] of [
      [eps.inEndpoint, `ipc://${eps.dir}/other`],
      [`ipc://${eps.dir}/other`, eps.outEndpoint],
    ]
  ) {
    const error = await new Broker(inEndpoint, outEndpoint).start().catch((e) => e);
    assert.ok(error instanceof BrokerBindError, String(error));
    assert.equal(error.code, "EADDRINUSE");
    assert.match(error.message, /Cannot start Broker: cannot bind ipc:\/\/.*another live process/);
  }
  assert.deepEqual([...Deno.readDirSync(eps.dir)].map((e) => e.name).sort(), ["in", "out"]);
  // the first broker still relays
  await using consumer = await new Peer(first.inEndpoint, first.outEndpoint, ["x"], []).start();
  await using producer = await new Peer(first.inEndpoint, first.outEndpoint, [], ["x"]).start();
  const next = new SyncEvent(consumer.events.x, { timeout: 5000 });
  producer.publish.x(1);
  assert.equal(await next, 1);
});

Deno.test("Broker.start() replaces the socket files a killed broker left behind", async () => {
  await using eps = await tempEndpoints();
  {
    await using killed = new Script("broker.ts", [eps.inEndpoint, eps.outEndpoint]);
    await guard(killed.line("ready"), 20_000, "the broker process to start");
    killed.child.kill("SIGKILL");
    await killed.status();
  }
  assert.ok((await Deno.lstat(`${eps.dir}/in`)).isSocket);
  assert.ok((await Deno.lstat(`${eps.dir}/out`)).isSocket);
  await using broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  assert.equal(broker.inEndpoint, eps.inEndpoint);
});

Deno.test("Broker.start() rejects a TCP port in use with EADDRINUSE and leaves nothing open", async () => {
  await using first = await new Broker("tcp://127.0.0.1:0", "tcp://127.0.0.1:0").start();
  const error = await new Broker("tcp://127.0.0.1:0", first.outEndpoint).start().catch((e) => e);
  assert.ok(error instanceof BrokerBindError);
  assert.equal(error.code, "EADDRINUSE");
  assert.equal(error.endpoint, first.outEndpoint);
  assert.equal((await import("@mreventloop/core/sockets")).socketAccounting().openSockets, 2);
});

Deno.test("Broker.start() rejects an ipc path in a missing directory with ENOENT", async () => {
  await using eps = await tempEndpoints();
  const broker = new Broker(`ipc://${eps.dir}/missing/in`, eps.outEndpoint);
  const error = await broker.start().catch((e) => e);
  assert.ok(error instanceof BrokerBindError);
  assert.equal(error.code, "ENOENT");
  assert.deepEqual([...Deno.readDirSync(eps.dir)], []);
  await broker.stop();
  assertNothingOpen();
});

Deno.test("Broker on tcp://127.0.0.1:0 reports the ports it bound, and peers use them", async () => {
  {
    await using broker = await new Broker("tcp://127.0.0.1:0", "tcp://127.0.0.1:0").start();
    assert.match(broker.inEndpoint, /^tcp:\/\/127\.0\.0\.1:[1-9]\d*$/);
    assert.match(broker.outEndpoint, /^tcp:\/\/127\.0\.0\.1:[1-9]\d*$/);
    await using consumer = await new Peer(broker.inEndpoint, broker.outEndpoint, ["x"], []).start();
    await using producer = await new Peer(broker.inEndpoint, broker.outEndpoint, [], ["x"]).start();
    const next = new SyncEvent(consumer.events.x, { timeout: 5000 });
    producer.publish.x("over tcp");
    assert.equal(await next, "over tcp");
  }
  assertNothingOpen();
});

Deno.test("Broker constructor rejects what is not an endpoint, and twice the same endpoint", () => {
  assert.throws(() => new Broker("in", "ipc:///tmp/out"), TypeError);
  // @ts-expect-error: not a string
  assert.throws(() => new Broker(42, "ipc:///tmp/out"), TypeError);
  assert.throws(
    () => new Broker("ipc:///tmp/x", "ipc:///tmp/x"),
    /inEndpoint and outEndpoint must differ/,
  );
  assert.throws(() => new Broker("ipc:///tmp/a", "ipc:///tmp/b", { linger: -1 }), RangeError);
});

Deno.test("Broker.start() twice rejects", async () => {
  await using broker = await new Broker("tcp://127.0.0.1:0", "tcp://127.0.0.1:0").start();
  await assert.rejects(broker.start(), /already started/);
});

// -- Relaying --

Deno.test("Broker relays foreign frames byte for byte, every part of a message", async () => {
  await using eps = await tempEndpoints();
  {
    await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
    await using subscriber = new RawSubscriber(eps.inEndpoint, [""]);
    await using publisher = new RawPublisher(eps.outEndpoint);
    await publisher.sync(subscriber);
    const parts = [
      bytes("part one"),
      new Uint8Array([0xff, 0x00, 0xc3, 0x28, 0x80]), // not UTF-8, with a NUL
      new Uint8Array(0),
      new Uint8Array(100_000).map((_, i) => i % 251),
    ];
    await publisher.send(parts);
    await publisher.send([bytes("end")]);
    await guard(subscriber.next((m) => text(m[0]) === "end"), 5000, "the end frame");
    const relayed = subscriber.messages.filter((m) => !text(m[0]).startsWith("sync:"));
    assert.equal(relayed.length, 2);
    assert.deepEqual(relayed[0].map((p) => [...p]), parts.map((p) => [...p]));
  }
  assertNothingOpen();
});

Deno.test("Broker filters: a peer receives only the events it subscribed to", async () => {
  await using eps = await tempEndpoints();
  {
    await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
    const { inEndpoint: i, outEndpoint: o } = eps;
    await using a = await new Peer(i, o, ["produced", "end"], []).start();
    await using b = await new Peer(i, o, ["produced_twice", "end"], []).start();
    // subscribed to "sync:" last, so once sync frames arrive the first prefix is in place too
    await using raw = new RawSubscriber(i, ['{"jsonrpc": "2.0", "method": "produced"', "sync:"]);
    await using rawPublisher = new RawPublisher(o);
    await rawPublisher.sync(raw);
    await using producer = await new Peer(i, o, [], ["produced", "produced_twice", "other", "end"])
      .start();
    const seen: Record<string, string[]> = { a: [], b: [] };
    a.events.produced.addListener((x) => seen.a.push(`produced ${x}`));
    b.events.produced_twice.addListener((x) => seen.b.push(`produced_twice ${x}`));
    const ends = [new SyncEvent(a.events.end), new SyncEvent(b.events.end)];
    producer.publish.produced(1);
    producer.publish.other(2);
    producer.publish.produced_twice(3);
    producer.publish.produced(4);
    producer.publish.end();
    await guard(Promise.all(ends), 5000, "both end events");
    assert.deepEqual(seen, { a: ["produced 1", "produced 4"], b: ["produced_twice 3"] });
    // the prefix of "produced" ends with its closing quote: no "produced_twice" frames
    await guard(
      raw.next((m) => text(m[0]).includes('"params": [4]')),
      5000,
      "the raw subscriber's last frame",
    );
    assert.deepEqual(
      raw.messages.map((m) => m.map(text)).filter((m) => !m[0].startsWith("sync:"))
        .map((m) => m.map((f) => JSON.parse(f).params)),
      [[[1]], [[4]]],
    );
  }
  assertNothingOpen();
});
