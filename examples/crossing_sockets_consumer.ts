// README "Crossing sockets", process 3 of 3: a consumer that requests products from the producer
// process and counts what comes back.
// Run: deno run --allow-all examples/crossing_sockets_consumer.ts [count] [inEndpoint] [outEndpoint]
import { connect, emits, type EventLoop, type Events, hasEventLoop, slot } from "@mreventloop/core";
import { Peer } from "@mreventloop/core/sockets";

type Requests = { request_product: [n: number] };
type Products = { produced: [product: string] };

@hasEventLoop("eventLoop")
@emits("events", ["request_product"])
class Consumer {
  declare eventLoop: EventLoop;
  declare readonly events: Events<Requests>;
  received = 0;
  readonly all = Promise.withResolvers<void>();
  constructor(readonly expected: number) {}
  @slot
  onProduced(_product: string) {
    if (++this.received === this.expected) this.all.resolve();
  }
}

const [
  count = "100000",
  inEndpoint = "ipc:///tmp/mreventloop-in",
  outEndpoint = "ipc:///tmp/mreventloop-out",
] = Deno.args;
const consumer = new Consumer(Number(count));
{
  await using consumerPeer = await new Peer<Products, Requests>(
    inEndpoint,
    outEndpoint,
    ["produced"],
    ["request_product"],
  ).start();
  await using _loop = consumer.eventLoop.start();
  connect(consumer, "request_product", consumerPeer.publish, "request_product");
  connect(consumerPeer, "produced", consumer, "onProduced");

  const started = performance.now();
  for (let n = 0; n < consumer.expected; n++) {
    consumer.events.request_product(n);
    if (n % 1000 === 999) await consumerPeer.flush(); // let backpressure pace the requests
  }
  await consumer.all.promise;
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `consumer received ${consumer.received} of ${consumer.expected} products in ${
      seconds.toFixed(2)
    } s: ${Math.round(2 * consumer.received / seconds)} events/s crossed processes ` +
      "(a request and a product each)",
  );
}
