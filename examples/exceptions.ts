// README "Exceptions": with exitOnException false, a throwing slot emits `exception` instead of
// ending the process, and the loop carries on.
import { connect, EventLoop, hasEventLoop, slot } from "@mreventloop/core";

@hasEventLoop("eventLoop")
class Consumer {
  declare eventLoop: EventLoop;
  @slot
  onProduced(product: string) {
    if (product === "bad") throw new Error(`cannot consume "${product}"`);
    console.log(`consumed ${product}`);
  }
}

const consumer = new Consumer();
consumer.eventLoop = new EventLoop({ exitOnException: false });
connect(
  consumer.eventLoop,
  "exception",
  (error) => console.log(`exception: ${(error as Error).message}`),
);
{
  await using _ = consumer.eventLoop.start();
  consumer.onProduced("good");
  consumer.onProduced("bad");
  consumer.onProduced("also good");
}
