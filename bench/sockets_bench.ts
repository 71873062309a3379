/**
 * Events across processes: publisher process → relay → subscriber process, over ipc and over tcp
 * on loopback, for raw zeromq.js (the baselines) and for our Broker and Peer, in one run.
 *
 * ```sh
 * deno run -A bench/sockets_bench.ts [--events=100000] [--batched=500000] [--parts=100]
 *   [--pings=2000] [--rounds=2] [--transports=ipc,tcp] [--raw=js-poll,proxy-poll] [--only=raw|ours]
 *   [--ours-via-proxy]
 * ```
 *
 * Every flag can also be given in the environment: `BENCH_EVENTS=20000`, `BENCH_RAW=all`, ...
 *
 * - Single events: the publisher awaits the hand-off of each event before the next one (raw:
 *   `await send(frame)`; ours: `publish` then `await peer.flush()`), and the subscriber counts
 *   what arrives; lost = published − received, and must be 0.
 * - Batched: `--parts` events per ZeroMQ message (raw: a multipart `send`; ours: `--parts`
 *   publishes in one tick, which the Peer coalesces into one batch frame).
 * - Ping-pong: one process publishes `ping(i)`, another answers `pong(i)`, one at a time; p50 and
 *   p99 of the round trip, after `WARM_UP_PINGS` unmeasured ones (raw and ours alike).
 *
 * Raw zeromq.js runs in several variants (`--raw`, `all` for every one): the relay is XSUB/XPUB
 * pumped in JavaScript (`js`) or `zmq.Proxy` (`proxy`, a libzmq thread), and sockets wait with
 * zeromq.js's poller (`zmq`) or `poll(2)` on `ZMQ_FD` (`poll`), as `_raw_io.ts` describes. The
 * baseline of each scenario is the best raw variant measured. `--rounds=N` runs every measurement
 * N times and keeps the best, raw and ours alike. `--ours-via-proxy` also runs our Peers through
 * a raw `zmq.Proxy` relay instead of our Broker, to tell the Peer's costs from the Broker's. Child
 * processes run with `deno run -A`.
 *
 * @module
 */
import * as zmq from "zeromq";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { connect } from "@mreventloop/core";
import { Broker, Peer } from "@mreventloop/core/sockets";
import {
  cpuMicros,
  lines,
  type Message,
  orders,
  percentile,
  RawSocket,
  tell,
  type WaitKind,
  WARM_UP_PINGS,
} from "./_raw_io.ts";

// -- Settings --

const RAW_VARIANTS = ["js-zmq", "js-poll", "proxy-zmq", "proxy-poll"] as const;
type RawVariant = typeof RAW_VARIANTS[number];

interface Settings {
  events: number;
  batched: number;
  parts: number;
  pings: number;
  rounds: number;
  transports: ("ipc" | "tcp")[];
  raw: RawVariant[];
  ours: boolean;
  oursViaProxy: boolean;
}

function settings(args: string[]): Settings {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: "string" },
      batched: { type: "string" },
      parts: { type: "string" },
      pings: { type: "string" },
      rounds: { type: "string" },
      transports: { type: "string" },
      raw: { type: "string" },
      only: { type: "string" },
      "ours-via-proxy": { type: "boolean" },
    },
  });
  const get = (name: keyof typeof values) =>
    values[name] ?? Deno.env.get("BENCH_" + name.toUpperCase());
  const count = (name: "events" | "batched" | "parts" | "pings" | "rounds", fallback: number) => {
    const value = Number(get(name) ?? fallback);
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`--${name} must be a positive integer, received ${get(name)}`);
    }
    return value;
  };
  const list = <T extends string>(
    name: "transports" | "raw",
    all: readonly T[],
    fallback: string,
  ) => {
    const wanted = String(get(name) ?? fallback);
    const items = wanted === "all" ? [...all] : wanted.split(",").filter((item) => item !== "");
    for (const item of items) {
      if (!all.includes(item as T)) {
        throw new TypeError(`--${name} takes ${all.join(", ")} or all, received "${item}"`);
      }
    }
    return items as T[];
  };
  const only = get("only");
  if (only !== undefined && only !== "raw" && only !== "ours") {
    throw new TypeError(`--only takes raw or ours, received "${only}"`);
  }
  const parts = count("parts", 100);
  return {
    events: count("events", 100_000),
    batched: Math.ceil(count("batched", 500_000) / parts) * parts,
    parts,
    pings: count("pings", 2_000),
    rounds: count("rounds", 2),
    transports: list("transports", ["ipc", "tcp"] as const, "ipc,tcp"),
    raw: only === "ours" ? [] : list("raw", RAW_VARIANTS, "js-poll,proxy-poll"),
    ours: only !== "raw",
    oursViaProxy: values["ours-via-proxy"] ?? Deno.env.get("BENCH_OURS_VIA_PROXY") === "1",
  };
}

// -- Child processes --

const CONFIG = fileURLToPath(new URL("../deno.json", import.meta.url));
const RAW_PEER = fileURLToPath(new URL("./_raw_peer.ts", import.meta.url));
const SELF = fileURLToPath(import.meta.url);
/** Guards a step that hangs: the bench fails instead of waiting forever. */
const STEP_TIMEOUT = 60_000;

/** A `deno run` child process speaking the line protocol of `_raw_io.ts`. */
class Child implements AsyncDisposable {
  readonly #process: Deno.ChildProcess;
  readonly #lines: AsyncGenerator<string>;
  readonly #stdin: WritableStreamDefaultWriter<Uint8Array>;
  readonly #name: string;

  constructor(script: string, args: string[]) {
    this.#name = `${script.split("/").pop()} ${args[0]}`;
    // BENCH_PROFILE=<dir>: every child writes a V8 CPU profile there (`--cpu-prof`)
    const profile = Deno.env.get("BENCH_PROFILE");
    const flags = profile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profile}`];
    this.#process = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", ...flags, "--config", CONFIG, script, ...args],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#lines = lines(this.#process.stdout);
    this.#stdin = this.#process.stdin.getWriter();
  }

  /** Resolves with the next message, which must be `event`. */
  async expect(event: string): Promise<Message> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.#name}: no "${event}" within ${STEP_TIMEOUT} ms`)),
        STEP_TIMEOUT,
      );
    });
    try {
      const { value, done } = await Promise.race([this.#lines.next(), timeout]);
      if (done) throw new Error(`${this.#name} ended before "${event}"`);
      const message = JSON.parse(value) as Message;
      if (message.event !== event) {
        throw new Error(`${this.#name}: expected "${event}", received ${value}`);
      }
      return message;
    } finally {
      clearTimeout(timer);
    }
  }

  async tell(message: Message): Promise<void> {
    await this.#stdin.write(new TextEncoder().encode(JSON.stringify(message) + "\n"));
  }

  /** Waits for the process to exit (killing it after 10 s), and checks it succeeded. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#stdin.close().catch(() => {});
    const timer = setTimeout(() => this.#process.kill("SIGKILL"), 10_000);
    const status = await this.#process.status;
    clearTimeout(timer);
    for await (const _ of this.#lines) { /* drain, so stdout closes */ }
    if (!status.success) throw new Error(`${this.#name} exited with code ${status.code}`);
  }
}

// -- Relays --

interface Relay extends AsyncDisposable {
  /** Where subscribers connect. */
  readonly inEndpoint: string;
  /** Where publishers connect. */
  readonly outEndpoint: string;
}

async function tempEndpoints(transport: string): Promise<[string, string, () => Promise<void>]> {
  if (transport === "tcp") return ["tcp://127.0.0.1:0", "tcp://127.0.0.1:0", async () => {}];
  const dir = await Deno.makeTempDir({ prefix: "sockets_bench_" });
  return [`ipc://${dir}/in`, `ipc://${dir}/out`, () => Deno.remove(dir, { recursive: true })];
}

/** An XSUB/XPUB relay, lossless: the XPUB side is `noDrop`. */
async function rawRelay(transport: string, variant: RawVariant): Promise<Relay> {
  const [inWanted, outWanted, cleanUp] = await tempEndpoints(transport);
  const xpub = new zmq.XPublisher({ noDrop: true, linger: 0 });
  const xsub = new zmq.XSubscriber({ linger: 0 });
  await xpub.bind(inWanted);
  await xsub.bind(outWanted);
  const inEndpoint = xpub.lastEndpoint!;
  const outEndpoint = xsub.lastEndpoint!;
  if (variant.startsWith("proxy")) {
    const proxy = new zmq.Proxy(xsub, xpub);
    const running = proxy.run();
    return {
      inEndpoint,
      outEndpoint,
      async [Symbol.asyncDispose]() {
        proxy.terminate();
        await running;
        await cleanUp();
      },
    };
  }
  const wait = variant.split("-")[1] as WaitKind;
  const [pub, sub] = [new RawSocket(xpub, wait), new RawSocket(xsub, wait)];
  const pump = async (from: RawSocket, to: RawSocket) => {
    for (;;) {
      const message = await from.receive();
      if (message === undefined || to.socket.closed) return;
      await to.send(message);
    }
  };
  const pumps = Promise.all([pump(sub, pub), pump(pub, sub)]);
  return {
    inEndpoint,
    outEndpoint,
    async [Symbol.asyncDispose]() {
      sub.close();
      pub.close();
      await pumps;
      await cleanUp();
    },
  };
}

async function ourBroker(transport: string): Promise<Relay> {
  const [inWanted, outWanted, cleanUp] = await tempEndpoints(transport);
  const broker = await new Broker(inWanted, outWanted).start();
  return {
    inEndpoint: broker.inEndpoint,
    outEndpoint: broker.outEndpoint,
    async [Symbol.asyncDispose]() {
      await broker.stop();
      await cleanUp();
    },
  };
}

// -- Scenarios, as the bench runs them --

/** Who runs the peers: raw zeromq.js with a relay variant, or our Broker and Peer. */
type Side = { kind: "raw"; variant: RawVariant } | { kind: "ours"; relay: "broker" | "proxy" };

interface StreamResult {
  rate: number;
  lost: number;
  /** CPU time per event, in µs, of the publisher, relay and subscriber processes. */
  cpu: [number, number, number];
}

interface PingResult {
  p50: number;
  p99: number;
}

function relayFor(side: Side, transport: string): Promise<Relay> {
  if (side.kind === "raw") return rawRelay(transport, side.variant);
  return side.relay === "broker" ? ourBroker(transport) : rawRelay(transport, "proxy-poll");
}

function spawnPeer(side: Side, role: string, relay: Relay, count: number, parts = 1): Child {
  const endpoints = [relay.inEndpoint, relay.outEndpoint];
  return side.kind === "raw"
    ? new Child(RAW_PEER, [role, ...endpoints, side.variant.split("-")[1], `${count}`, `${parts}`])
    : new Child(SELF, [`--role=${role}`, ...endpoints, `${count}`, `${parts}`]);
}

async function stream(
  side: Side,
  transport: string,
  count: number,
  parts: number,
): Promise<StreamResult> {
  await using relay = await relayFor(side, transport);
  await using subscriber = spawnPeer(side, "subscribe", relay, count, parts);
  await subscriber.expect("ready");
  await using publisher = spawnPeer(side, "publish", relay, count, parts);
  await publisher.expect("ready");
  // raw needs to warm up until the subscription went through; a started Peer does not
  if (side.kind === "raw") await subscriber.expect("warm");
  const start = performance.now();
  const relayCpu = cpuMicros();
  await publisher.tell({ event: "go" });
  const done = await subscriber.expect("done");
  const seconds = (performance.now() - start) / 1000;
  const relayUsed = cpuMicros() - relayCpu;
  const sent = await publisher.expect("sent");
  await publisher.tell({ event: "exit" });
  if ((done.outOfOrder ?? 0) !== 0) throw new Error(`${done.outOfOrder} events out of order`);
  return {
    rate: count / seconds,
    lost: count - (done.received as number),
    cpu: [(sent.cpu as number) / count, relayUsed / count, (done.cpu as number) / count],
  };
}

async function pingPong(side: Side, transport: string, count: number): Promise<PingResult> {
  await using relay = await relayFor(side, transport);
  await using ponger = spawnPeer(side, "pong", relay, 0);
  await ponger.expect("ready");
  await using pinger = spawnPeer(side, "ping", relay, count);
  await pinger.expect("ready");
  const done = await pinger.expect("done");
  await ponger.tell({ event: "exit" });
  return { p50: done.p50 as number, p99: done.p99 as number };
}

interface Results {
  single: StreamResult;
  batched: StreamResult;
  pings: PingResult;
}

/** Runs every scenario once. */
async function measure(side: Side, transport: string, s: Settings): Promise<Results> {
  return {
    single: await stream(side, transport, s.events, 1),
    batched: await stream(side, transport, s.batched, s.parts),
    pings: await pingPong(side, transport, s.pings),
  };
}

/** The better of two measurements, scenario by scenario: higher rate, lower ping p50. */
function better(a: Results | undefined, b: Results): Results {
  if (a === undefined) return b;
  return {
    single: b.single.rate > a.single.rate ? b.single : a.single,
    batched: b.batched.rate > a.batched.rate ? b.batched : a.batched,
    pings: b.pings.p50 < a.pings.p50 ? b.pings : a.pings,
  };
}

// -- Our Peer's roles, run in child processes of this script --

type Stream = { produced: [i: number]; end: [] };
type PingPong = { ping: [i: number]; pong: [i: number] };

async function ourRole(role: string, args: string[]): Promise<void> {
  const [inEndpoint, outEndpoint, countArg, partsArg] = args;
  const count = Number(countArg);
  const parts = Number(partsArg);
  const stdin = orders();
  const next = async (expected: string) => {
    const { value } = await stdin.next();
    if (value?.event !== expected) {
      throw new Error(`expected "${expected}" from the bench, received ${JSON.stringify(value)}`);
    }
  };
  if (role === "publish") {
    await using peer = await new Peer<Stream, Stream>(inEndpoint, outEndpoint, [], [
      "produced",
      "end",
    ]).start();
    tell({ event: "ready" });
    await next("go");
    const cpu = cpuMicros();
    if (parts === 1) {
      for (let i = 1; i <= count; i++) {
        peer.publish.produced(i);
        await peer.flush();
      }
    } else {
      for (let i = 1; i <= count; i += parts) {
        for (let j = 0; j < parts; j++) peer.publish.produced(i + j);
        await peer.flush();
      }
    }
    peer.publish.end();
    await peer.flush();
    tell({ event: "sent", count, cpu: cpuMicros() - cpu });
    await next("exit");
  } else if (role === "subscribe") {
    await using peer = await new Peer<Stream, Stream>(inEndpoint, outEndpoint, [
      "produced",
      "end",
    ], []).start();
    let received = 0;
    let outOfOrder = 0;
    let expected = 1;
    const ended = Promise.withResolvers<void>();
    connect(peer, "produced", (i) => {
      if (i !== expected) outOfOrder++;
      expected = i + 1;
      received++;
    });
    connect(peer, "end", () => ended.resolve());
    tell({ event: "ready" });
    const cpu = cpuMicros();
    await ended.promise;
    tell({ event: "done", received, outOfOrder, cpu: cpuMicros() - cpu });
  } else if (role === "ping") {
    await using peer = await new Peer<PingPong, PingPong>(inEndpoint, outEndpoint, ["pong"], [
      "ping",
    ]).start();
    let waiting = 0;
    let answered = Promise.withResolvers<void>();
    connect(peer, "pong", (i) => {
      if (i === waiting) answered.resolve();
    });
    tell({ event: "ready" });
    const times: number[] = [];
    for (let i = 1; i <= WARM_UP_PINGS + count; i++) {
      const start = performance.now();
      waiting = i;
      answered = Promise.withResolvers<void>();
      peer.publish.ping(i);
      await answered.promise;
      if (i > WARM_UP_PINGS) times.push((performance.now() - start) * 1000);
    }
    times.sort((a, b) => a - b);
    tell({ event: "done", p50: percentile(times, 50), p99: percentile(times, 99) });
  } else if (role === "pong") {
    await using peer = await new Peer<PingPong, PingPong>(inEndpoint, outEndpoint, ["ping"], [
      "pong",
    ]).start();
    connect(peer, "ping", (i) => peer.publish.pong(i));
    tell({ event: "ready" });
    await next("exit");
  } else {
    throw new Error(`unknown role "${role}"`);
  }
}

// -- Report --

const kilo = (rate: number) => `${Math.round(rate / 1000)} k/s`;
const micros = (value: number) => `${Math.round(value)} µs`;
/** CPU per event of publisher / relay / subscriber. */
const cpu = (result: StreamResult) => result.cpu.map((value) => value.toFixed(1)).join(" / ");

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd())
    .join("\n");
}

function best<T>(entries: [string, T][], better: (a: T, b: T) => boolean): [string, T] {
  return entries.reduce((a, b) => better(b[1], a[1]) ? b : a);
}

async function main(s: Settings): Promise<void> {
  console.log(
    `# ${navigator.hardwareConcurrency} CPUs, Deno ${Deno.version.deno}, libzmq ${zmq.version}; ` +
      `${s.events} single events, ${s.batched} in messages of ${s.parts}, ${s.pings} pings, ` +
      `best of ${s.rounds}`,
  );
  const details: string[][] = [[
    "transport",
    "who",
    "single",
    "lost",
    "cpu µs/event",
    `${s.parts} per message`,
    "lost",
    "cpu µs/event",
    "ping p50",
    "ping p99",
  ]];
  const summary: string[][] = [[
    "transport",
    "scenario",
    "raw (best)",
    "ours",
    "ours/raw",
    "target",
  ]];
  for (const transport of s.transports) {
    // rounds go over every side in turn, so a noisy minute does not hit one side only
    const sides: [string, Side][] = s.raw.map((
      variant,
    ) => [`raw ${variant}`, { kind: "raw", variant }]);
    if (s.ours) sides.push(["ours", { kind: "ours", relay: "broker" }]);
    if (s.oursViaProxy) sides.push(["our Peers, proxy relay", { kind: "ours", relay: "proxy" }]);
    const bests = new Map<string, Results>();
    for (let round = 0; round < s.rounds; round++) {
      for (const [who, side] of sides) {
        bests.set(who, better(bests.get(who), await measure(side, transport, s)));
      }
    }
    const rows = [...bests];
    const raw = rows.filter(([who]) => who.startsWith("raw "));
    const ours = bests.get("ours");
    for (const [who, r] of rows) {
      details.push([
        transport,
        who,
        kilo(r.single.rate),
        `${r.single.lost}`,
        cpu(r.single),
        kilo(r.batched.rate),
        `${r.batched.lost}`,
        cpu(r.batched),
        micros(r.pings.p50),
        micros(r.pings.p99),
      ]);
    }
    if (raw.length === 0 || ours === undefined) continue;
    const single = best(raw, (a, b) => a.single.rate > b.single.rate);
    const batched = best(raw, (a, b) => a.batched.rate > b.batched.rate);
    const pings = best(raw, (a, b) => a.pings.p50 < b.pings.p50);
    const ratio = (value: number) => value.toFixed(2) + "×";
    summary.push(
      [
        transport,
        "single events",
        `${kilo(single[1].single.rate)} (${single[0]})`,
        `${kilo(ours.single.rate)}, ${ours.single.lost} lost`,
        ratio(ours.single.rate / single[1].single.rate),
        "≥ 1.0×, 0 lost",
      ],
      [
        transport,
        `coalesced vs ${s.parts} per message`,
        `${kilo(batched[1].batched.rate)} (${batched[0]})`,
        `${kilo(ours.batched.rate)}, ${ours.batched.lost} lost`,
        ratio(ours.batched.rate / batched[1].batched.rate),
        "≥ 0.8×",
      ],
      [
        transport,
        "ping-pong p50",
        `${micros(pings[1].pings.p50)} (${pings[0]})`,
        micros(ours.pings.p50),
        ratio(ours.pings.p50 / pings[1].pings.p50),
        "≤ 1.3×",
      ],
      [
        transport,
        "ping-pong p99",
        micros(pings[1].pings.p99),
        micros(ours.pings.p99),
        ratio(ours.pings.p99 / pings[1].pings.p99),
        "≤ 1.3×",
      ],
    );
  }
  console.log("\n" + table(details));
  if (summary.length > 1) console.log("\n" + table(summary));
}

if (import.meta.main) {
  const role = Deno.args.find((arg) => arg.startsWith("--role="));
  if (role !== undefined) {
    await ourRole(role.slice("--role=".length), Deno.args.filter((arg) => arg !== role));
  } else {
    await main(settings(Deno.args));
  }
}
