// `deno task demo`: the original's pipeline, Producer → ProcessorEven → ProcessorOdd → Consumer,
// wired with whole-object connect, first on one shared loop (FIFO across objects), then each on
// its own loop.
import {
  connect,
  emits,
  EventLoop,
  type Events,
  forwards,
  hasEventLoop,
  slot,
} from "@mreventloop/core";

@hasEventLoop("eventLoop")
@emits("events", ["result"])
class Producer {
  declare readonly events: Events<{ result: [product: string, n: number] }>;
  declare eventLoop: EventLoop;
  counter = 0;
  @slot
  produce() {
    console.log(`  producer     emits result(product, ${this.counter})`);
    this.events.result("product", this.counter++);
  }
}

@hasEventLoop("eventLoop")
@forwards(["onProcessedResult"])
@emits("events", ["processed_result", "result"])
class ProcessorEven {
  declare readonly events: Events<
    { processed_result: [text: string]; result: [product: string, n: number] }
  >;
  declare eventLoop: EventLoop;
  @slot
  async onResult(product: string, n: number) {
    await Promise.resolve();
    if (n % 2 === 0) this.events.processed_result(`${product} even ${n}`);
    else this.events.result(product, n);
  }
}

@hasEventLoop("eventLoop")
@forwards(["onProcessedResult"])
@emits("events", ["processed_result", "result"])
class ProcessorOdd {
  declare readonly events: Events<
    { processed_result: [text: string]; result: [product: string, n: number] }
  >;
  declare eventLoop: EventLoop;
  @slot
  onResult(product: string, n: number) {
    if (n % 2 === 1) this.events.processed_result(`${product} odd ${n}`);
    else this.events.result(product, n);
  }
}

@hasEventLoop("eventLoop")
class Consumer {
  declare eventLoop: EventLoop;
  content: string[] = [];
  @slot
  onProcessedResult(text: string) {
    console.log(`  consumer     got ${text}`);
    this.content.push(text);
  }
}

function pipeline() {
  const stages = {
    producer: new Producer(),
    even: new ProcessorEven(),
    odd: new ProcessorOdd(),
    consumer: new Consumer(),
  };
  connect(stages.producer, stages.even);
  connect(stages.even, stages.odd);
  connect(stages.odd, stages.consumer);
  return stages;
}

console.log("One shared loop: ten produce() calls queued before it starts");
{
  const { producer, even, odd, consumer } = pipeline();
  const loop = new EventLoop();
  producer.eventLoop =
    even.eventLoop =
    odd.eventLoop =
    consumer.eventLoop =
      loop;
  for (let i = 0; i < 10; i++) producer.produce();
  {
    await using _ = loop.start();
  }
  console.log(`consumer received, in order: ${consumer.content.join(", ")}`);
}

console.log("\nFour loops, one per object");
{
  const { producer, even, odd, consumer } = pipeline();
  {
    await using _consumer = consumer.eventLoop.start();
    await using _odd = odd.eventLoop.start();
    await using _even = even.eventLoop.start();
    await using _producer = producer.eventLoop.start();
    for (let i = 0; i < 10; i++) producer.produce();
  }
  console.log(`consumer received ${consumer.content.length} of 10: ${consumer.content.join(", ")}`);
}
