// README "Awaiting events": SyncEvent resolves with the next emission.
import { emits, type Events, SyncEvent } from "@mreventloop/core";

@emits("events", ["produced"])
class Producer {
  declare readonly events: Events<{ produced: [product: string] }>;
  requestProduct() {
    this.events.produced("some product");
  }
}

const producer = new Producer();
const next = new SyncEvent(producer.events.produced, { timeout: 1000 });
setTimeout(() => producer.requestProduct(), 10);
console.log(`awaited ${await next}`);
