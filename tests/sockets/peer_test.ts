import assert from "node:assert/strict";
import {
  Broker,
  type BrokerLostError,
  type FrameError,
  type NoEvents,
  Peer,
  PeerStartError,
} from "@mreventloop/core/sockets";
import {
  connect,
  EventLoop,
  type EventMap,
  hasEventLoop,
  slot,
  SyncEvent,
} from "@mreventloop/core";
import {
  assertNothingOpen,
  bytes,
  guard,
  RawPublisher,
  RawSubscriber,
  tempEndpoints,
  text,
} from "./_fixtures/helpers.ts";

type Products = { produced: [product: string]; request_product: [id: number, label: string] };

// -- Starting --

Deno.test("Peer.start() rejects with a PeerStartError naming both endpoints when no broker answers", async () => {
  await using eps = await tempEndpoints();
  const peer = new Peer(eps.inEndpoint, eps.outEndpoint, ["x"], ["y"]);
  const error = await peer.start({ timeout: 100 }).catch((e) => e);
  assert.ok(error instanceof PeerStartError);
  assert.equal(error.inEndpoint, eps.inEndpoint);
  assert.equal(error.outEndpoint, eps.outEndpoint);
  assert.ok(error.message.includes(eps.inEndpoint) && error.message.includes(eps.outEndpoint));
  assert.match(error.message, /no answer within 100 ms/);
  assertNothingOpen();
});

Deno.test("Peer.start() rejects naming the endpoints when its signal aborts, with the reason as cause", async () => {
  await using eps = await tempEndpoints();
  const controller = new AbortController();
  const peer = new Peer(eps.inEndpoint, eps.outEndpoint, [], []);
  const starting = peer.start({ signal: controller.signal });
  controller.abort(new Error("changed my mind"));
  const error = await starting.catch((e) => e);
  assert.ok(error instanceof PeerStartError);
  assert.match(error.message, /aborted/);
  assert.ok(error.message.includes(eps.inEndpoint));
  assert.equal((error.cause as Error).message, "changed my mind");
  const early = await new Peer(eps.inEndpoint, eps.outEndpoint, [], [])
    .start({ signal: AbortSignal.abort() }).catch((e) => e);
  assert.ok(early instanceof PeerStartError);
  assertNothingOpen();
});

Deno.test("Peer.start() can be called again after it failed, and events queued before are sent", async () => {
  await using eps = await tempEndpoints();
  const producer = new Peer<NoEvents, Products>(eps.inEndpoint, eps.outEndpoint, [], ["produced"]);
  producer.publish.produced("queued before start");
  await assert.rejects(producer.start({ timeout: 20 }), PeerStartError);
  await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  await using consumer = await new Peer<Products, NoEvents>(eps.inEndpoint, eps.outEndpoint, [
    "produced",
  ], []).start();
  const next = new SyncEvent(consumer.events.produced, { timeout: 5000 });
  await producer.start();
  assert.equal(await next, "queued before start");
  await assert.rejects(producer.start(), /it is started/);
  await producer.stop(); // before the broker stops, so it can confirm delivery
});

Deno.test("Peer.start() with timeout Infinity waits for a broker that starts later", async () => {
  await using eps = await tempEndpoints();
  const peer = new Peer(eps.inEndpoint, eps.outEndpoint, ["x"], ["x"]);
  const starting = peer.start({ timeout: Infinity });
  await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  await using started = await guard(starting, 10_000, "the peer to find the broker");
  const next = new SyncEvent(started.events.x, { timeout: 5000 });
  started.publish.x("late broker");
  assert.equal(await next, "late broker");
});

Deno.test("An event published right after start() reaches every started subscriber, 50 times", async () => {
  await using eps = await tempEndpoints();
  await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  await using first = await new Peer(eps.inEndpoint, eps.outEndpoint, ["ping"], []).start();
  for (let round = 0; round < 50; round++) {
    // a fresh subscriber and a fresh publisher each round
    await using second = await new Peer(eps.inEndpoint, eps.outEndpoint, ["ping"], []).start();
    await using producer = await new Peer(eps.inEndpoint, eps.outEndpoint, [], ["ping"]).start();
    const both = [new SyncEvent(first.events.ping), new SyncEvent(second.events.ping)];
    producer.publish.ping(round);
    assert.deepEqual(await guard(Promise.all(both), 5000, `round ${round}`), [round, round]);
  }
});

// -- Publishing --

Deno.test("Peer writes frames byte for byte as Python's json.dumps does", async () => {
  await using eps = await tempEndpoints();
  {
    await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
    await using raw = new RawSubscriber(eps.inEndpoint, [
      '{"jsonrpc": "2.0", "method": "',
      "sync:",
    ]);
    await using syncer = new RawPublisher(eps.outEndpoint);
    await syncer.sync(raw);
    await using peer = await new Peer(eps.inEndpoint, eps.outEndpoint, [], [
      "produced",
      "two_args",
      "no_args",
    ]).start();
    peer.publish.produced("some product");
    peer.publish.two_args("a", 1);
    peer.publish.no_args();
    peer.publish.produced('grüße ✓ "q" \\ /');
    await guard(raw.next((m) => text(m[0]).includes("gr\\u00fc")), 5000, "the last frame");
    const frames = raw.messages.flat().map(text).filter((f) => f.includes('"id"'));
    const ids = frames.map((f) => Number(/"id": (\d+)\}$/.exec(f)![1]));
    assert.deepEqual(ids, [ids[0], ids[0] + 1, ids[0] + 2, ids[0] + 3]);
    assert.deepEqual(frames, [
      `{"jsonrpc": "2.0", "method": "produced", "params": ["some product"], "id": ${ids[0]}}`,
      `{"jsonrpc": "2.0", "method": "two_args", "params": ["a", 1], "id": ${ids[1]}}`,
      `{"jsonrpc": "2.0", "method": "no_args", "id": ${ids[2]}}`,
      `{"jsonrpc": "2.0", "method": "produced", "params": ["gr\\u00fc\\u00dfe \\u2713 \\"q\\" \\\\ /"], "id": ${
        ids[3]
      }}`,
    ]);
  }
  assertNothingOpen();
});

/**
 * Runs `publish` on a started peer publishing `names`, through a broker, and returns the frames it
 * sent (probes left out), once the frame of its last event, `end`, arrived. Asserts that every
 * message was a single frame: libzmq aborts on multipart messages cut short (see Peer).
 */
async function framesPublished<Pub extends EventMap>(
  names: (keyof Pub & string)[],
  publish: (peer: Peer<NoEvents, Pub>) => void,
): Promise<string[]> {
  await using eps = await tempEndpoints();
  await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  const prefix = '{"jsonrpc": "2.0", "method": "';
  await using raw = new RawSubscriber(eps.inEndpoint, [prefix, "[" + prefix, "sync:"]);
  await using syncer = new RawPublisher(eps.outEndpoint);
  await syncer.sync(raw);
  await using peer = await new Peer<NoEvents, Pub>(eps.inEndpoint, eps.outEndpoint, [], names)
    .start();
  publish(peer);
  await guard(raw.next((m) => text(m[0]).includes('"end"')), 5000, "the end frame");
  return raw.messages
    .filter((m) => !text(m[0]).startsWith("sync:") && !text(m[0]).includes("mreventloop.probe"))
    .map((m) => {
      assert.equal(m.length, 1);
      return text(m[0]);
    });
}

Deno.test("Events of one name published in one tick go out as one batch frame, in order", async () => {
  type Pub = { a: [n: number]; b: [n: number]; end: [] };
  const frames = await framesPublished<Pub>(["a", "b", "end"], (peer) => {
    peer.publish.a(1);
    peer.publish.a(2);
    peer.publish.a(3);
    peer.publish.b(4);
    peer.publish.a(5);
    peer.publish.end();
  });
  // a batch is written as Python's json.dumps writes a list: "[", requests joined by ", ", "]"
  const ids = frames.map((f) => [...f.matchAll(/"id": (\d+)/g)].map((x) => Number(x[1])));
  const request = (method: string, n: number, id: number) =>
    `{"jsonrpc": "2.0", "method": "${method}", "params": [${n}], "id": ${id}}`;
  assert.equal(frames.length, 4);
  assert.equal(
    frames[0],
    `[${request("a", 1, ids[0][0])}, ${request("a", 2, ids[0][1])}, ${request("a", 3, ids[0][2])}]`,
  );
  assert.equal(frames[1], request("b", 4, ids[1][0]));
  assert.equal(frames[2], request("a", 5, ids[2][0]));
  assert.equal(frames[3], `{"jsonrpc": "2.0", "method": "end", "id": ${ids[3][0]}}`);
  assert.deepEqual(ids.flat(), [0, 1, 2, 3, 4, 5].map((k) => ids[0][0] + k));
});

Deno.test("A batch holds at most 512 events and 64 KiB; a larger event travels alone", async () => {
  type Pub = { n: [n: number]; s: [s: string]; end: [] };
  const frames = await framesPublished<Pub>(["n", "s", "end"], (peer) => {
    for (let i = 0; i < 1100; i++) peer.publish.n(i);
    const kilobyte = "k".repeat(1000);
    for (let i = 0; i < 100; i++) peer.publish.s(kilobyte);
    peer.publish.s("x".repeat(70_000));
    peer.publish.end();
  });
  const counts = frames.map((f) => f.startsWith("[") ? JSON.parse(f).length : 1);
  assert.deepEqual(counts.slice(0, 3), [512, 512, 76]);
  // 100 events of ~1 KiB: as many per batch as fit in 64 KiB, then the rest
  assert.ok(frames.slice(3, -2).every((f) => f.length <= 64 * 1024));
  assert.equal(counts.slice(3, -2).reduce((a, b) => a + b), 100);
  assert.ok(counts.slice(3, -2).length >= 2);
  assert.equal(frames.at(-2)!.length > 70_000 && frames.at(-2)!.startsWith("{"), true);
  const numbers = frames.slice(0, 3).flatMap((f) =>
    JSON.parse(f).map((r: { params: number[] }) => r.params[0])
  );
  assert.deepEqual(numbers, Array.from({ length: 1100 }, (_, i) => i));
});

Deno.test("publish() rejects arguments that cannot be JSON with a TypeError naming the event", async () => {
  await using eps = await tempEndpoints();
  await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  await using consumer = await new Peer(eps.inEndpoint, eps.outEndpoint, ["produced"], []).start();
  await using peer = await new Peer(eps.inEndpoint, eps.outEndpoint, [], ["produced"]).start();
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  for (const bad of [() => 1, Symbol("s"), 10n, cycle, { deep: [new Map()] }]) {
    assert.throws(
      () => peer.publish.produced("fine", bad),
      (error) =>
        error instanceof TypeError && /Cannot publish produced: argument 1/.test(error.message),
    );
  }
  // nothing of the rejected calls was queued: the next event is the first to arrive
  const next = new SyncEvent(consumer.events.produced, { timeout: 5000 });
  peer.publish.produced("good");
  assert.equal(await next, "good");
});

Deno.test("publish() after stop() throws, and stop() sends what was published just before", async () => {
  await using eps = await tempEndpoints();
  await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  await using consumer = await new Peer(eps.inEndpoint, eps.outEndpoint, ["n"], []).start();
  const seen: number[] = [];
  consumer.events.n.addListener((n) => seen.push(n));
  const producer = await new Peer(eps.inEndpoint, eps.outEndpoint, [], ["n"]).start();
  for (let i = 0; i < 5000; i++) producer.publish.n(i);
  await producer.stop();
  assert.throws(() => producer.publish.n(-1), /Cannot publish n: .* is stopped/);
  // stop() confirmed the broker relayed everything; the consumer receives it all
  while (seen.length < 5000) await guard(new SyncEvent(consumer.events.n), 5000, "more events");
  assert.deepEqual(seen, Array.from({ length: 5000 }, (_, i) => i));
});

Deno.test("flush() resolves once everything published was handed to ZeroMQ", async () => {
  await using eps = await tempEndpoints();
  await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  await using peer = await new Peer(eps.inEndpoint, eps.outEndpoint, [], ["n"]).start();
  for (let i = 0; i < 10_000; i++) peer.publish.n(i);
  await peer.flush();
  await peer.flush(); // nothing queued: resolves at once
  await assert.rejects(new Peer("ipc:///tmp/a", "ipc:///tmp/b", [], []).flush(), /not started/);
});

Deno.test("Events flushed as they are published all arrive, in order, as the queue fills and drains", async () => {
  // They outrun the subscriber: ZeroMQ's queue fills again and again, and flush() takes each of
  // its paths (all sent at once, waiting for room, handing on the rest). Names alternate, so that
  // no two events share a batch frame and the queue holds several frames at once.
  const count = 200_000;
  type Stream = { even: [i: number]; odd: [i: number]; end: [] };
  const names = ["even", "odd", "end"] as const;
  await using eps = await tempEndpoints();
  await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  await using consumer = await new Peer<Stream, Stream>(eps.inEndpoint, eps.outEndpoint, [
    ...names,
  ], []).start();
  await using producer = await new Peer<Stream, Stream>(eps.inEndpoint, eps.outEndpoint, [], [
    ...names,
  ]).start();
  const received: number[] = [];
  const ended = Promise.withResolvers<void>();
  connect(consumer, "even", (i) => received.push(i));
  connect(consumer, "odd", (i) => received.push(i));
  connect(consumer, "end", () => ended.resolve());
  for (let i = 0; i < count; i += 4) {
    producer.publish.even(i);
    producer.publish.odd(i + 1);
    producer.publish.even(i + 2);
    producer.publish.odd(i + 3);
    await producer.flush();
  }
  producer.publish.end();
  await producer.flush();
  await guard(ended.promise, 60_000, "every event published");
  assert.equal(received.length, count);
  assert.ok(received.every((n, i) => n === i), "in the order published");
});

// -- Receiving --

Deno.test("Peer is a connect emitter of its events and peer.publish a connect receiver", async () => {
  await using eps = await tempEndpoints();
  await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  await using producerPeer = await new Peer<Products, Products>(
    eps.inEndpoint,
    eps.outEndpoint,
    ["request_product"],
    ["produced"],
  ).start();
  await using consumerPeer = await new Peer<Products, Products>(
    eps.inEndpoint,
    eps.outEndpoint,
    ["produced"],
    ["request_product"],
  ).start();
  const local = new (await import("@mreventloop/core")).Events<Products>([
    "request_product",
    "produced",
  ]);
  connect(local, "request_product", consumerPeer.publish, "request_product");
  connect(
    producerPeer,
    "request_product",
    (id, label) => producerPeer.publish.produced(`${label} #${id}`),
  );
  const produced = new SyncEvent(consumerPeer.events.produced, { timeout: 5000 });
  local.request_product(7, "cake");
  assert.equal(await produced, "cake #7");
});

Deno.test("Peer accepts what Python peers send: notifications, params absent, array or object, batches, multipart", async () => {
  await using eps = await tempEndpoints();
  await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  await using peer = await new Peer(eps.inEndpoint, eps.outEndpoint, ["e", "end"], []).start();
  await using raw = new RawPublisher(eps.outEndpoint);
  await using syncSub = new RawSubscriber(eps.inEndpoint, ["sync:"]);
  await raw.sync(syncSub);
  const calls: unknown[][] = [];
  peer.events.e.addListener((...args: unknown[]) => calls.push(args));
  const errors: FrameError[] = [];
  peer.frameError.addListener((e) => errors.push(e));
  const end = new SyncEvent(peer.events.end, { timeout: 5000 });
  await raw.send([`{"jsonrpc": "2.0", "method": "e", "params": [1, "a"], "id": 1}`]);
  await raw.send([`{"jsonrpc": "2.0", "method": "e", "params": [2]}`]); // notification
  await raw.send([`{"jsonrpc": "2.0", "method": "e"}`]); // params absent
  await raw.send([`{"jsonrpc": "2.0", "method": "e", "params": {"k": 3}, "id": 2}`]);
  await raw.send([
    `{"jsonrpc": "2.0", "method": "e", "params": [4], "id": 3}`,
    `{"jsonrpc": "2.0", "method": "e", "params": [5], "id": 4}`,
  ]);
  await raw.send([
    `[{"jsonrpc": "2.0", "method": "e", "params": [6]}, {"jsonrpc": "2.0", "method": "not_mine"}, {"jsonrpc": "2.0", "method": "e", "params": [7]}]`,
  ]);
  await raw.send([`{"jsonrpc": "2.0", "method": "end"}`]);
  await end;
  assert.deepEqual(calls, [[1, "a"], [2], [], [{ k: 3 }], [4], [5], [6], [7]]);
  assert.deepEqual(errors, []);
});

Deno.test("Peer reports each bad frame once, with what was wrong, and delivers the good ones around it", async () => {
  await using eps = await tempEndpoints();
  await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  await using peer = await new Peer<{ e: [n: number]; end: [] }, NoEvents>(
    eps.inEndpoint,
    eps.outEndpoint,
    ["e", "end"],
    [],
    { argumentCounts: { e: 1 }, maxFrameBytes: 65_536 },
  ).start();
  await using raw = new RawPublisher(eps.outEndpoint);
  await using syncSub = new RawSubscriber(eps.inEndpoint, ["sync:"]);
  await raw.sync(syncSub);
  const seen: number[] = [];
  peer.events.e.addListener((n) => seen.push(n));
  const problems: string[] = [];
  peer.frameError.addListener((e) => problems.push(e.problem));
  const end = new SyncEvent(peer.events.end, { timeout: 5000 });
  const prefix = `{"jsonrpc": "2.0", "method": "e"`;
  const good = (n: number) => `${prefix}, "params": [${n}]}`;
  await raw.send([good(1)]);
  await raw.send([new Uint8Array([...bytes(prefix), 0xff, 0xfe])]); // not UTF-8
  await raw.send([good(2)]);
  await raw.send([`${prefix}, oops`]); // not JSON
  await raw.send([`${prefix}, "params": 5}`]); // not JSON-RPC: params a number
  await raw.send([`${prefix}, "method": "other"}`]); // names an event not subscribed to
  await raw.send([`${prefix}, "params": [1, 2]}`]); // wrong argument count
  await raw.send([`${prefix}, "params": ["${"x".repeat(70_000)}"]}`]); // too large
  await raw.send([good(3), `${prefix}, bad`, good(4)]); // a bad part between good parts
  await raw.send([`{"jsonrpc": "2.0", "method": "end"}`]);
  await end;
  assert.deepEqual(seen, [1, 2, 3, 4]);
  assert.deepEqual(problems, [
    "not-utf8",
    "not-json",
    "not-json-rpc",
    "not-subscribed",
    "wrong-argument-count",
    "too-large",
    "not-json",
  ]);
});

Deno.test("10 000 random malformed frames at a broker and a peer cost no good event", async () => {
  await using eps = await tempEndpoints();
  await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  await using peer = await new Peer<{ good: [n: number]; end: [] }, NoEvents>(
    eps.inEndpoint,
    eps.outEndpoint,
    ["good", "end"],
    [],
    { argumentCounts: { good: 1 } },
  ).start();
  await using producer = await new Peer(eps.inEndpoint, eps.outEndpoint, [], ["good", "end"])
    .start();
  await using raw = new RawPublisher(eps.outEndpoint);
  await using syncSub = new RawSubscriber(eps.inEndpoint, ["sync:"]);
  await raw.sync(syncSub);
  const seen: number[] = [];
  peer.events.good.addListener((n) => seen.push(n));
  let reported = 0;
  peer.frameError.addListener(() => reported++);
  const end = new SyncEvent(peer.events.end, { timeout: 30_000 });

  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const prefix = bytes(`{"jsonrpc": "2.0", "method": "good"`);
  let aimedAtPeer = 0;
  for (let i = 0; i < 10_000; i++) {
    const noise = new Uint8Array(1 + Math.floor(random() * 64)).map(() =>
      Math.floor(random() * 256)
    );
    if (i % 2 === 0) {
      // reaches the peer: the prefix it subscribed to, then garbage that cannot be a 1-argument
      // "good" request (a leading NUL is never valid JSON there)
      noise[0] = 0;
      await raw.send([new Uint8Array([...prefix, ...noise])]);
      aimedAtPeer++;
    } else {
      if (noise[0] === 0x5b || noise[0] === 0x7b) noise[0] = 0; // "[" and "{" could match a peer
      await raw.send([noise]); // matches nobody's subscription: only the broker sees it
    }
    if (i % 10 === 0) producer.publish.good(i / 10);
  }
  producer.publish.end();
  await end;
  assert.deepEqual(seen, Array.from({ length: 1000 }, (_, i) => i));
  // the raw frames and the producer's travel different pipes: wait for the last raw ones
  while (reported < aimedAtPeer) {
    await guard(new SyncEvent(peer.frameError), 10_000, "frame errors");
  }
  assert.equal(reported, aimedAtPeer);
});

@hasEventLoop("eventLoop")
class Thrower {
  declare eventLoop: EventLoop;
  calls: string[] = [];
  @slot
  onProduced(product: string): void {
    this.calls.push(product);
    if (product === "bad") throw new Error("slot failed");
  }
}

Deno.test("A slot that throws on a received event follows its loop's exception policy", async () => {
  await using eps = await tempEndpoints();
  await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  await using consumer = await new Peer<Products, NoEvents>(eps.inEndpoint, eps.outEndpoint, [
    "produced",
  ], []).start();
  await using producer = await new Peer<NoEvents, Products>(eps.inEndpoint, eps.outEndpoint, [], [
    "produced",
  ]).start();
  const thrower = new Thrower();
  thrower.eventLoop = new EventLoop({ exitOnException: false });
  await using _loop = thrower.eventLoop.start();
  const exception = new SyncEvent(thrower.eventLoop.events.exception, { timeout: 5000 });
  connect(consumer, "produced", thrower, "onProduced");
  const last = new SyncEvent(consumer.events.produced, { timeout: 5000 });
  producer.publish.produced("bad");
  producer.publish.produced("good");
  assert.equal((await exception as Error).message, "slot failed");
  await last;
  await thrower.eventLoop.stop();
  assert.deepEqual(thrower.calls, ["bad", "good"]);
});

Deno.test("A listener that throws is reported as uncaught, and the events after it still arrive", async () => {
  await using eps = await tempEndpoints();
  await using _broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  await using consumer = await new Peer(eps.inEndpoint, eps.outEndpoint, ["n"], []).start();
  await using producer = await new Peer(eps.inEndpoint, eps.outEndpoint, [], ["n"]).start();
  const uncaught: unknown[] = [];
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    uncaught.push(event.error);
  };
  globalThis.addEventListener("error", onError);
  try {
    const seen: number[] = [];
    consumer.events.n.addListener((n) => {
      seen.push(n);
      if (n === 1) throw new Error("listener failed");
    });
    const third = new SyncEvent(consumer.events.n);
    producer.publish.n(1);
    producer.publish.n(2);
    await guard(third, 5000, "the events");
    while (seen.length < 2) await guard(new SyncEvent(consumer.events.n), 5000, "event 2");
    assert.deepEqual(seen, [1, 2]);
    assert.deepEqual(uncaught.map((e) => (e as Error).message), ["listener failed"]);
  } finally {
    globalThis.removeEventListener("error", onError);
  }
});

// -- Losing the broker --

Deno.test("Peer reports brokerLost when its broker stops answering, and stop() then gives up at once", async () => {
  await using eps = await tempEndpoints();
  const broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  const peer = await new Peer(eps.inEndpoint, eps.outEndpoint, ["n"], ["n"], { heartbeat: 20 })
    .start();
  const reports: BrokerLostError[] = [];
  peer.brokerLost.addListener((e) => reports.push(e));
  const lost = new SyncEvent(peer.brokerLost, { timeout: 5000 });
  await broker.stop();
  assert.match((await lost).message, /no answer from the broker for 60 ms/);
  peer.publish.n(1);
  await peer.stop(); // the default stopTimeout is 10 s: this must not wait for it
  assert.equal(reports.length, 2);
  assert.match(reports[1].message, /stopped answering before it confirmed/);
  assert.ok(reports[1].message.includes(eps.inEndpoint));
  assertNothingOpen();
});

Deno.test("Peer.stop() without a heartbeat gives up after stopTimeout and reports it", async () => {
  await using eps = await tempEndpoints();
  const broker = await new Broker(eps.inEndpoint, eps.outEndpoint).start();
  const peer = await new Peer(eps.inEndpoint, eps.outEndpoint, [], ["n"], {
    heartbeat: 0,
    stopTimeout: 50,
  }).start();
  await broker.stop();
  const lost = new SyncEvent(peer.brokerLost, { timeout: 5000 });
  peer.publish.n(1);
  await peer.stop();
  assert.match((await lost).message, /did not confirm within 50 ms/);
  assertNothingOpen();
});

Deno.test("Peer constructor rejects names and options it cannot use", () => {
  assert.throws(() => new Peer("ipc:///tmp/a", "ipc:///tmp/b", ["x", "x"], []), /"x" twice/);
  assert.throws(() => new Peer("ipc:///tmp/a", "ipc:///tmp/b", [""], []), TypeError);
  // @ts-expect-error: not an array
  assert.throws(() => new Peer("ipc:///tmp/a", "ipc:///tmp/b", "x", []), TypeError);
  assert.throws(() => new Peer("nowhere", "ipc:///tmp/b", [], []), TypeError);
  assert.throws(
    () => new Peer("ipc:///tmp/a", "ipc:///tmp/b", [], [], { stopTimeout: -1 }),
    RangeError,
  );
  for (const maxFrameBytes of [1000, 65_535, 1.5e5 + 0.5, NaN]) {
    assert.throws(
      () => new Peer("ipc:///tmp/a", "ipc:///tmp/b", [], [], { maxFrameBytes }),
      (error) =>
        error instanceof RangeError && error.message.includes("maxFrameBytes") &&
        error.message.includes("65536") && error.message.includes(String(maxFrameBytes)),
    );
  }
});
