/**
 * A child process of `bench/sockets_bench.ts` using raw zeromq.js only: the baselines.
 *
 * ```sh
 * deno run -A bench/_raw_peer.ts <role> <inEndpoint> <outEndpoint> <zmq|poll> [count] [parts]
 * ```
 *
 * Roles: `publish` (count events to outEndpoint, `parts` frames per message), `subscribe` (counts
 * them from inEndpoint), `ping` (count round trips, timed here) and `pong` (echoes pings). Sockets
 * wait as `_raw_io.ts` describes for `zmq` or `poll`. Talks to the bench with one JSON line per
 * message on stdin and stdout.
 *
 * @module
 */
import * as zmq from "zeromq";
import { Buffer } from "node:buffer";
import {
  cpuMicros,
  orders,
  percentile,
  RawSocket,
  tell,
  type WaitKind,
  WARM_UP_PINGS,
} from "./_raw_io.ts";

const [role, inEndpoint, outEndpoint, wait, countArg = "0", partsArg = "1"] = Deno.args;
const count = Number(countArg);
const parts = Number(partsArg);

/** The frame our Peer writes for `method(i)` with id i, so raw and ours move the same bytes. */
const frame = (method: string, i: number): string =>
  '{"jsonrpc": "2.0", "method": "' + method + '", "params": [' + i + '], "id": ' + i + "}";
const prefix = (method: string): string => '{"jsonrpc": "2.0", "method": "' + method + '"';

function publisher(): RawSocket {
  const socket = new RawSocket(new zmq.Publisher({ noDrop: true, linger: 0 }), wait as WaitKind);
  socket.socket.connect(outEndpoint);
  return socket;
}

/** An XSUB socket (see `_raw_io.ts` for why not SUB) subscribed to `methods`. */
async function subscriber(...methods: string[]): Promise<RawSocket> {
  const socket = new RawSocket(new zmq.XSubscriber({ linger: 0 }), wait as WaitKind);
  socket.socket.connect(inEndpoint);
  for (const method of methods) await socket.send(Buffer.from("\x01" + prefix(method)));
  return socket;
}

const stdin = orders();

async function next(expected: string): Promise<void> {
  const { value } = await stdin.next();
  if (value?.event !== expected) {
    throw new Error(`expected "${expected}" from the bench, received ${JSON.stringify(value)}`);
  }
}

async function publish(): Promise<void> {
  const socket = publisher();
  tell({ event: "ready" });
  // until the bench says go, warm up: the subscription must reach us through the relay first
  let warming = true;
  const warmup = (async () => {
    while (warming) {
      await socket.send(frame("warmup", 0));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  await next("go");
  warming = false;
  await warmup;
  const cpu = cpuMicros();
  if (parts === 1) {
    for (let i = 1; i <= count; i++) await socket.send(frame("produced", i));
  } else {
    const message: string[] = new Array(parts);
    for (let i = 1; i <= count; i += parts) {
      for (let j = 0; j < parts; j++) message[j] = frame("produced", i + j);
      await socket.send(message);
    }
  }
  await socket.send(frame("end", 0));
  tell({ event: "sent", count, cpu: cpuMicros() - cpu });
  await next("exit");
  socket.close();
}

async function subscribe(): Promise<void> {
  const socket = await subscriber("produced", "warmup", "end");
  tell({ event: "ready" });
  const cpu = cpuMicros();
  let received = 0;
  let warm = false;
  while (true) {
    const message = await socket.receive() as Buffer[];
    // the method starts at byte 30: {"jsonrpc": "2.0", "method": "
    const initial = message[0][30];
    if (initial === 0x70 /* produced */) received += message.length;
    else if (initial === 0x77 /* warmup */) {
      if (!warm) tell({ event: "warm" });
      warm = true;
    } else break; // end
  }
  tell({ event: "done", received, cpu: cpuMicros() - cpu });
  socket.close();
}

async function ping(): Promise<void> {
  const out = publisher();
  const back = await subscriber("pong");
  tell({ event: "ready" });
  // warm up until a pong comes back: both subscriptions have then reached the relay
  let answered = false;
  const firstPong = back.receive().then(() => answered = true);
  while (!answered) {
    await out.send(frame("ping", 0));
    await Promise.race([firstPong, new Promise((resolve) => setTimeout(resolve, 5))]);
  }
  const times: number[] = [];
  for (let i = 1; i <= WARM_UP_PINGS + count; i++) {
    const start = performance.now();
    await out.send(frame("ping", i));
    while (true) {
      const [pong] = await back.receive() as Buffer[];
      if (pong.toString().includes(`[${i}]`)) break; // late warm-up pongs are skipped
    }
    if (i > WARM_UP_PINGS) times.push((performance.now() - start) * 1000);
  }
  times.sort((a, b) => a - b);
  tell({ event: "done", p50: percentile(times, 50), p99: percentile(times, 99) });
  out.close();
  back.close();
}

async function pong(): Promise<void> {
  const out = publisher();
  const pings = await subscriber("ping");
  tell({ event: "ready" });
  const echo = (async () => {
    while (true) {
      const message = await pings.receive();
      if (message === undefined) return;
      await out.send(message[0].toString().replace('"ping"', '"pong"'));
    }
  })();
  await next("exit");
  pings.close();
  await echo;
  out.close();
}

const roles: Record<string, () => Promise<void>> = { publish, subscribe, ping, pong };
if (!(role in roles)) throw new Error(`unknown role "${role}"`);
await roles[role]();
