// Misuses of a typed Peer the compiler must reject: type-checked, never run.
import { connect, emits, type EventLoop, type Events, hasEventLoop, slot } from "@mreventloop/core";
import { Peer } from "@mreventloop/core/sockets";

type Requests = { request_product: [n: number] };
type Products = { produced: [product: string] };

@hasEventLoop("eventLoop")
@emits("events", ["request_product"])
export class Consumer {
  declare eventLoop: EventLoop;
  declare readonly events: Events<Requests>;
  @slot
  onProduced(_product: string): void {}
  @slot
  onCount(_n: number): void {}
}

export function misuses(consumer: Consumer): void {
  const peer = new Peer<Products, Requests>("ipc:///x/in", "ipc:///x/out", ["produced"], [
    "request_product",
  ]);

  // Subscribing to or publishing a name outside the event maps.
  // @ts-expect-error: "prodcued" is not in Products
  new Peer<Products, Requests>("ipc:///x/in", "ipc:///x/out", ["prodcued"], []);
  // @ts-expect-error: "request" is not in Requests
  new Peer<Products, Requests>("ipc:///x/in", "ipc:///x/out", [], ["request"]);

  // Publishing an undeclared event, or with wrong arguments.
  // @ts-expect-error: no such published event
  peer.publish.produced("x");
  // @ts-expect-error: request_product takes a number
  peer.publish.request_product("1");

  // Received events are typed like any emitter's.
  // @ts-expect-error: produced gives a string
  connect(peer, "produced", (_n: number) => {});
  // @ts-expect-error: onCount takes a number, produced gives a string
  connect(peer, "produced", consumer, "onCount");
  // @ts-expect-error: the peer emits no "request_product"
  connect(peer, "request_product", consumer);
}

export function correctUses(consumer: Consumer): void {
  const peer = new Peer<Products, Requests>("ipc:///x/in", "ipc:///x/out", ["produced"], [
    "request_product",
  ]);
  connect(consumer, "request_product", peer.publish, "request_product");
  connect(peer, "produced", consumer, "onProduced");
  connect(peer, consumer);
  peer.publish.request_product(1);
  const untyped = new Peer("ipc:///x/in", "ipc:///x/out", ["anything"], ["whatever"]);
  untyped.publish.whatever(1, "two");
}
