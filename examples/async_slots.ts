// README "Async slots": an async slot is awaited before the next call starts.
import { type EventLoop, hasEventLoop, slot } from "@mreventloop/core";

@hasEventLoop("eventLoop")
class ConsumerAsync {
  declare eventLoop: EventLoop;
  @slot
  async onProduced(product: string, delayMs: number) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    console.log(`consumed ${product} after ${delayMs} ms`);
    return product.length;
  }
}

const consumer = new ConsumerAsync();
{
  await using _ = consumer.eventLoop.start();
  consumer.onProduced("slow product", 30);
  const length = await consumer.onProduced("fast product", 1); // still runs second
  console.log(`the second slot returned ${length}`);
}
