/**
 * Brokers and peers across real processes: processes exit on their own, survive a killed broker,
 * lose no event published right after start, and carry a million events in order.
 *
 * @module
 */

import assert from "node:assert/strict";
import { Broker, Peer } from "@mreventloop/core/sockets";
import { assertNothingOpen, guard, Script, tempEndpoints } from "./_fixtures/helpers.ts";

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
