// README "Emitting events": declare events on a class, connect a callback, disconnect it.
import { connect, disconnect, emits, type Events } from "@mreventloop/core";

@emits("events", ["produced"])
class Producer {
  declare readonly events: Events<{ produced: [product: string] }>;
  requestProduct() {
    this.events.produced("some product");
  }
}

const producer = new Producer();
connect(producer, "produced", (product) => console.log(`received ${product}`));
producer.requestProduct(); // prints "received some product"

disconnect(producer, "produced");
producer.requestProduct(); // prints nothing: no listener left
