// README "Event loop and slots": slots queue on the object's loop and run one at a time.
import { connect, emits, type EventLoop, type Events, hasEventLoop, slot } from "@mreventloop/core";

@emits("events", ["produced"])
class Producer {
  declare readonly events: Events<{ produced: [product: string] }>;
  requestProduct() {
    this.events.produced("some product");
  }
}

@hasEventLoop("eventLoop")
class Consumer {
  declare eventLoop: EventLoop;
  @slot
  onProduced(product: string) {
    console.log(`consumed ${product}`);
  }
}

const producer = new Producer();
const consumer = new Consumer();
connect(producer, "produced", consumer, "onProduced");
{
  await using _ = consumer.eventLoop.start();
  producer.requestProduct();
  console.log("requested"); // printed first: the slot is queued, not run
} // leaving the scope runs everything queued, then stops the loop
