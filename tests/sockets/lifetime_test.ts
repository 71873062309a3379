/**
 * Brokers and peers across real processes: processes exit on their own, survive a killed broker,
 * lose no event published right after start, and carry a million events in order.
 *
 * @module
 */

import assert from "node:assert/strict";
import { Broker, Peer } from "@mreventloop/core/sockets";
import { SyncEvent } from "@mreventloop/core";
import {
  assertNothingOpen,
  guard,
  RawPublisher,
  Script,
  tempEndpoints,
  text,
} from "./_fixtures/helpers.ts";
import {
  nextTurn,
  openPublisher,
  openSubscriber,
  openXPublisher,
  openXSubscriber,
} from "../../src/sockets/_zmq.ts";
import { openPeerBeacon, openPeerPublisher } from "../../src/sockets/_peer_publisher.ts";
import { openPeerSubscriber } from "../../src/sockets/_peer_subscriber.ts";

// -- Exiting --

Deno.test("A deno run script with a broker and peers in await using scopes exits on its own", async () => {
  await using script = new Script("scoped.ts", []);
  await script.closeStdin();
  const status = await guard(script.status(), 30_000, "the script to exit on its own");
  assert.equal(status.code, 0);
  assert.deepEqual(script.lines, [
    "scopes ending",
    'scopes ended {"openSockets":0,"pendingOperations":0}',
  ]);
});

Deno.test("A deno run script whose broker is stopped while events flow exits on its own", async () => {
  await using script = new Script("stop_mid_stream.ts", []);
  const status = await guard(script.status(), 30_000, "the script to exit on its own");
  assert.equal(status.code, 0);
  assert.deepEqual(script.lines, [
    "broker stopped, open sockets: 6",
    'peers stopped {"openSockets":0,"pendingOperations":0}',
  ]);
});

Deno.test("A deno run script that never stops its broker exits cleanly through Deno.exit()", async () => {
  // without Deno.exit() it would not exit: the relay thread keeps the event loop alive (see Broker)
  await using script = new Script("exit_without_stop.ts", []);
  const status = await guard(script.status(), 30_000, "the script to exit");
  assert.equal(status.code, 0);
  assert.equal(script.lines.length, 1);
  assert.match(script.lines[0], /^relayed, broker on ipc:/);
});

Deno.test("A deno test run whose test leaves a broker running exits without crashing", async () => {
  await using eps = await tempEndpoints();
  await using run = new Script("leaks_a_broker.ts", [eps.inEndpoint, eps.outEndpoint], "test");
  const status = await guard(run.status(), 30_000, "deno test to exit");
  assert.equal(status.signal, null);
  assert.equal(status.code, 0);
  // the library's own accounting is where such a leak shows
  assert.ok(
    run.lines.includes('left running {"openSockets":2,"pendingOperations":1}'),
    run.lines.join("\n"),
  );
  assert.ok(
    run.lines.some((line) => /^ok \| 1 passed \| 0 failed/.test(line)),
    run.lines.join("\n"),
  );
});

Deno.test("Killing the broker process mid-stream: peers report the loss and still exit cleanly", async () => {
  await using eps = await tempEndpoints();
  const { inEndpoint, outEndpoint } = eps;
  await using broker = new Script("broker.ts", [inEndpoint, outEndpoint]);
  await guard(broker.line("ready"), 20_000, "the broker to start");
  await using subscriber = new Script("stream_peer.ts", ["subscriber", inEndpoint, outEndpoint]);
  await using publisher = new Script("stream_peer.ts", ["publisher", inEndpoint, outEndpoint]);
  await guard(subscriber.line("receiving"), 20_000, "events to flow");

  broker.child.kill("SIGKILL");
  await broker.status();
  const lost = await guard(
    Promise.all([subscriber.line("lost"), publisher.line("lost")]),
    20_000,
    "both peers to report the loss",
  );
  for (const line of lost) {
    assert.ok(line.includes(inEndpoint) && line.includes(outEndpoint), line);
  }
  await subscriber.closeStdin();
  await publisher.closeStdin();
  const statuses = await guard(
    Promise.all([subscriber.status(), publisher.status()]),
    20_000,
    "the peers to exit",
  );
  assert.deepEqual(statuses.map((s) => s.code), [0, 0]);
  assert.equal(subscriber.lines.at(-1), "stopped");
  assert.equal(publisher.lines.at(-1), "stopped");
});

Deno.test("A peer and a broker blocked by a subscriber that never reads still stop, the peer reporting it", async () => {
  await using eps = await tempEndpoints();
  const { inEndpoint, outEndpoint } = eps;
  await using broker = await new Broker(inEndpoint, outEndpoint, { linger: 100 }).start();
  // a subscriber that takes one frame, to know it is subscribed, and then never reads again
  const stuck = openSubscriber();
  try {
    stuck.raw.subscribe("");
    stuck.raw.connect(inEndpoint);
    {
      await using syncer = new RawPublisher(outEndpoint);
      for (let n = 0;; n++) {
        await syncer.send([`sync:${n}`]);
        const message = await stuck.receive();
        if (message !== null && text(message[0]).startsWith("sync:")) break;
        await nextTurn();
      }
    }
    await using producer = await new Peer(inEndpoint, outEndpoint, [], ["x"], {
      heartbeat: 0,
      stopTimeout: 100,
    }).start();
    const lost = new SyncEvent(producer.brokerLost, { timeout: 10_000 });
    // one message per event, 10 000 of 4 KB: more than the queues between the two hold
    const payload = "x".repeat(4096);
    for (let i = 0; i < 10_000; i++) {
      producer.publish.x(payload);
      await nextTurn();
    }
    await producer.stop();
    assert.match((await lost).message, /did not confirm within 100 ms/);
    // the relay may be blocked on the stuck subscriber's full queue: after `linger` ms of trying
    // to deliver, the broker ends it anyway, while that subscriber is still there
    await guard(broker.stop(), 20_000, "the broker to stop although a subscriber never reads");
    assert.equal(stuck.closed, false);
  } finally {
    await stuck.close();
  }
  assertNothingOpen();
});

Deno.test("Every socket is opened with zero send and receive timeouts and zero linger", async () => {
  const sockets = [
    openPublisher(),
    openSubscriber(),
    openXPublisher(),
    openXSubscriber(),
    openPeerPublisher(),
    openPeerBeacon(),
    openPeerSubscriber(1000),
  ];
  for (const socket of sockets) {
    const raw = socket.raw as unknown as Record<string, number>;
    assert.equal(raw.linger, 0);
    if ("sendTimeout" in raw) assert.equal(raw.sendTimeout, 0);
    if ("receiveTimeout" in raw) assert.equal(raw.receiveTimeout, 0);
  }
  for (const socket of sockets) await socket.close();
  assertNothingOpen();
});

Deno.test("Where FFI cannot reach libzmq, brokers and peers fall back to zeromq.js and lose nothing", async () => {
  // without permission to read /proc/self/maps, libzmq is not found for FFI: as off Linux
  await using script = new Script("zeromq_js_peers.ts", [], "run", [
    "--allow-read",
    "--deny-read=/proc/self/maps",
    "--allow-write",
    "--allow-ffi",
    "--allow-env",
    "--allow-sys",
  ]);
  const status = await guard(script.status(), 60_000, "the script to exit on its own");
  assert.equal(status.code, 0);
  assert.deepEqual(script.lines.map((line) => JSON.parse(line)), [{
    ffi: false,
    received: 10_000,
    inOrder: true,
    accounting: { openSockets: 0, pendingOperations: 0 },
  }]);
});

// -- No slow joiners --

Deno.test("An event published right after start() crosses processes, 100 rounds in a row", async () => {
  await using eps = await tempEndpoints();
  const { inEndpoint, outEndpoint } = eps;
  {
    await using _broker = await new Broker(inEndpoint, outEndpoint).start();
    await using listener = await new Peer(inEndpoint, outEndpoint, ["pong"], []).start();
    let answering = Promise.resolve();
    listener.events.pong.addListener((round: number) => {
      answering = answering.then(async () => {
        await using answer = await new Peer(inEndpoint, outEndpoint, [], ["ping"]).start();
        answer.publish.ping(round);
      });
    });
    await using rounds = new Script("ping_rounds.ts", [inEndpoint, outEndpoint, "100"]);
    const status = await guard(rounds.status(), 60_000, "100 rounds");
    await answering;
    assert.equal(status.code, 0);
    assert.deepEqual(rounds.lines, ["done"]);
  }
  assertNothingOpen();
});

// -- Lossless --

Deno.test("1 000 000 events from two processes arrive through a broker process, all, in order per publisher", async () => {
  await using eps = await tempEndpoints();
  const { inEndpoint, outEndpoint } = eps;
  await using broker = new Script("broker.ts", [inEndpoint, outEndpoint]);
  await guard(broker.line("ready"), 20_000, "the broker to start");
  const perPublisher = 500_000;
  {
    await using consumer = await new Peer<{ tick: [id: string, n: number] }>(
      inEndpoint,
      outEndpoint,
      ["tick"],
      [],
    ).start();
    const next: Record<string, number> = { a: 0, b: 0 };
    let received = 0;
    let outOfOrder = 0;
    const all = Promise.withResolvers<void>();
    consumer.events.tick.addListener((id, n) => {
      if (next[id] !== n) outOfOrder++;
      next[id] = n + 1;
      if (++received === 2 * perPublisher) all.resolve();
    });
    const started = performance.now();
    await using a = new Script("producer.ts", [inEndpoint, outEndpoint, "a", `${perPublisher}`]);
    await using b = new Script("producer.ts", [inEndpoint, outEndpoint, "b", `${perPublisher}`]);
    await guard(all.promise, 180_000, "a million events");
    const seconds = (performance.now() - started) / 1000;
    const statuses = await guard(Promise.all([a.status(), b.status()]), 20_000, "the producers");
    assert.deepEqual(statuses.map((s) => s.code), [0, 0]);
    assert.deepEqual([a.lines, b.lines], [
      ["started", "published", "stopped"],
      ["started", "published", "stopped"],
    ]);
    assert.equal(received, 2 * perPublisher);
    assert.equal(outOfOrder, 0);
    assert.deepEqual(next, { a: perPublisher, b: perPublisher });
    console.log(
      `1 000 000 events in ${seconds.toFixed(1)} s (${Math.round(1e6 / seconds)} events/s, ` +
        "including starting both producer processes)",
    );
  }
  await broker.closeStdin();
  assert.equal((await guard(broker.status(), 20_000, "the broker to stop")).code, 0);
  assertNothingOpen();
});
