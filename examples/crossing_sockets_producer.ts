// README "Crossing sockets", process 2 of 3: a producer whose slot answers requests that come
// from another process, and whose products go back to it.
// Run: deno run --allow-all examples/crossing_sockets_producer.ts [inEndpoint] [outEndpoint]
import { connect, emits, type EventLoop, type Events, hasEventLoop, slot } from "@mreventloop/core";
import { Peer } from "@mreventloop/core/sockets";

type Requests = { request_product: [n: number] };
type Products = { produced: [product: string] };

@hasEventLoop("eventLoop")
@emits("events", ["produced"])
class Producer {
  declare eventLoop: EventLoop;
  declare readonly events: Events<Products>;
  @slot
  onRequestProduct(n: number) {
    this.events.produced(`product ${n}`);
  }
}

const [inEndpoint = "ipc:///tmp/mreventloop-in", outEndpoint = "ipc:///tmp/mreventloop-out"] =
  Deno.args;

const stop = Promise.withResolvers<void>();
for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, stop.resolve);
const producer = new Producer();
{
  await using producerPeer = await new Peer<Requests, Products>(
    inEndpoint,
    outEndpoint,
    ["request_product"],
    ["produced"],
  ).start();
  await using _loop = producer.eventLoop.start();
  connect(producerPeer, "request_product", producer, "onRequestProduct");
  connect(producer, "produced", producerPeer.publish, "produced");
  console.log("producer ready");
  await stop.promise;
}
console.log("producer stopped");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.removeSignalListener(signal, stop.resolve);
}
