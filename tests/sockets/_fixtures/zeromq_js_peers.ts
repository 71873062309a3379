/**
 * A broker and two peers that cannot reach libzmq by FFI (the test runs this without permission
 * to read /proc/self/maps), so that they fall back to zeromq.js: events one at a time and in one
 * tick; prints whether FFI was used, what arrived, and the socket accounting at the end.
 *
 * @module
 */

import { Broker, Peer, socketAccounting } from "@mreventloop/core/sockets";
import { connect } from "@mreventloop/core";
import { loadLibzmq } from "../../../src/sockets/_libzmq.ts";

type Stream = { n: [i: number]; end: [] };
const dir = await Deno.makeTempDir();
const received: number[] = [];
{
  const [inEndpoint, outEndpoint] = [`ipc://${dir}/in`, `ipc://${dir}/out`];
  await using _broker = await new Broker(inEndpoint, outEndpoint).start();
  await using consumer = await new Peer<Stream, Stream>(inEndpoint, outEndpoint, ["n", "end"], [])
    .start();
  await using producer = await new Peer<Stream, Stream>(inEndpoint, outEndpoint, [], ["n", "end"])
    .start();
  const ended = Promise.withResolvers<void>();
  connect(consumer, "n", (i) => received.push(i));
  connect(consumer, "end", () => ended.resolve());
  for (let i = 0; i < 5000; i++) {
    producer.publish.n(i);
    await producer.flush();
  }
  for (let i = 5000; i < 10_000; i++) producer.publish.n(i);
  producer.publish.end();
  await ended.promise;
}
console.log(JSON.stringify({
  ffi: loadLibzmq() !== null,
  received: received.length,
  inOrder: received.every((n, i) => n === i),
  accounting: socketAccounting(),
}));
await Deno.remove(dir, { recursive: true });
