// README "Sharing loops": two consumers on one loop run their slots in one sequence.
import { connect, emits, type EventLoop, type Events, hasEventLoop, slot } from "@mreventloop/core";

@emits("events", ["produced"])
class Producer {
  declare readonly events: Events<{ produced: [product: string] }>;
  constructor(readonly name: string) {}
  requestProduct() {
    this.events.produced(`product of ${this.name}`);
  }
}

@hasEventLoop("eventLoop")
class Consumer {
  declare eventLoop: EventLoop;
  constructor(readonly name: string) {}
  @slot
  onProduced(product: string) {
    console.log(`${this.name} consumed ${product}`);
  }
}

const producer1 = new Producer("producer1");
const producer2 = new Producer("producer2");
const consumer1 = new Consumer("consumer1");
const consumer2 = new Consumer("consumer2");
consumer2.eventLoop = consumer1.eventLoop;
connect(producer1, "produced", consumer1, "onProduced");
connect(producer2, "produced", consumer2, "onProduced");
{
  await using _ = consumer1.eventLoop.start();
  producer1.requestProduct();
  producer2.requestProduct();
  producer1.requestProduct();
}
