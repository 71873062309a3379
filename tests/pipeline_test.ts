// The pipeline scenarios of the original's test_event_loop.py: Producer -> ProcessorEven ->
// ProcessorOdd -> Consumer, wired with whole-object connect, on one shared loop or on one loop each.

import {
  connect,
  emits,
  EventLoop,
  type Events,
  forwards,
  hasEventLoop,
  slot,
  SlotCall,
} from "@mreventloop/core";
import assert from "node:assert/strict";

type ResultEvents = {
  processed_result: [result: string];
  result: [result: string, number: number];
};

@hasEventLoop("eventLoop")
@emits("events", ["result"])
class Producer {
  declare eventLoop: EventLoop;
  declare readonly events: Events<{ result: [result: string, number: number] }>;
  counter = 0;

  // An async slot that never awaits, like the original's `async def produce`.
  @slot
  // deno-lint-ignore require-await
  async produce(): Promise<void> {
    this.events.result("product", this.counter);
    this.counter++;
  }
}

/** Handles the numbers of one parity; passes the others on through `result`. */

@hasEventLoop("eventLoop")
@forwards(["onProcessedResult"])
@emits("events", ["processed_result", "result"])
abstract class Processor {
  declare eventLoop: EventLoop;
  declare readonly events: Events<ResultEvents>;
  declare onProcessedResult: (result: string) => void;

  protected handle(result: string, number: number, parity: "even" | "odd"): void {
    if ((number % 2 === 0) === (parity === "even")) {
      this.events.processed_result(`${result} ${parity} ${number}`);
    } else this.events.result(result, number);
  }
}

class ProcessorEven extends Processor {
  @slot
  // deno-lint-ignore require-await
  async onResult(result: string, number: number): Promise<void> {
    this.handle(result, number, "even");
  }
}

class ProcessorOdd extends Processor {
  @slot
  onResult(result: string, number: number): void {
    this.handle(result, number, "odd");
  }
}

/** Like ProcessorOdd, but its slot suspends before emitting. */
class ProcessorOddAsync extends Processor {
  @slot
  async onResult(result: string, number: number): Promise<void> {
    await Promise.resolve();
    this.handle(result, number, "odd");
  }
}

@hasEventLoop("eventLoop")
class Consumer {
  declare eventLoop: EventLoop;
  readonly content: string[] = [];

  @slot
  async onProcessedResult(result: string): Promise<void> {
    await Promise.resolve();
    this.content.push(result);
  }
}

@hasEventLoop("eventLoop")
class ConsumerException {
  declare eventLoop: EventLoop;

  @slot
  async onProcessedResult(result: string): Promise<void> {
    await Promise.resolve();
    throw new Error(`ConsumerException refuses ${result}`);
  }
}

@hasEventLoop("eventLoop")
class ExceptionReceiver {
  declare eventLoop: EventLoop;
  readonly content: unknown[] = [];

  @slot
  onException(error: unknown): void {
    this.content.push(error);
  }
}

@hasEventLoop("eventLoop")
class SlotWithReturnValue {
  declare eventLoop: EventLoop;

  @slot
  call(): string {
    return "foo";
  }
}

@hasEventLoop("eventLoop")
class AsyncSlotWithReturnValue {
  declare eventLoop: EventLoop;

  @slot
  async call(): Promise<string> {
    await Promise.resolve();
    return "foo";
  }
}

/** What FIFO order across the four objects yields when they share one loop. */
const SHARED_LOOP_ORDER = [
  "product even 0",
  "product even 2",
  "product even 4",
  "product even 6",
  "product even 8",
  "product odd 1",
  "product odd 3",
  "product odd 5",
  "product odd 7",
  "product odd 9",
];

function pipeline(odd: ProcessorOdd | ProcessorOddAsync = new ProcessorOdd()) {
  const producer = new Producer();
  const processorEven = new ProcessorEven();
  const consumer = new Consumer();
  connect(producer, processorEven);
  connect(processorEven, odd);
  connect(odd, consumer);
  return { producer, processorEven, processorOdd: odd, consumer };
}

// -- One shared loop --

Deno.test("A pipeline on one shared loop delivers the even products first, in FIFO order", async () => {
  const { producer, processorEven, processorOdd, consumer } = pipeline();
  const loop = new EventLoop();
  producer.eventLoop = loop;
  processorEven.eventLoop = loop;
  processorOdd.eventLoop = loop;
  consumer.eventLoop = loop;
  for (let i = 0; i < 10; i++) producer.produce();
  assert.deepEqual(consumer.content, []);
  {
    await using _ = loop.start();
  }
  assert.deepEqual(consumer.content, SHARED_LOOP_ORDER);
});

Deno.test("A pipeline with an async processor on one shared loop keeps the same exact order", async () => {
  const { producer, processorEven, processorOdd, consumer } = pipeline(new ProcessorOddAsync());
  const loop = new EventLoop();
  producer.eventLoop = loop;
  processorEven.eventLoop = loop;
  processorOdd.eventLoop = loop;
  consumer.eventLoop = loop;
  for (let i = 0; i < 10; i++) producer.produce();
  await loop.stop();
  assert.deepEqual(consumer.content, SHARED_LOOP_ORDER);
});

// -- One loop each --

Deno.test("A pipeline with a loop per object delivers all ten products", async () => {
  const { producer, processorEven, processorOdd, consumer } = pipeline();
  {
    await using _consumer = consumer.eventLoop.start();
    await using _odd = processorOdd.eventLoop.start();
    await using _even = processorEven.eventLoop.start();
    await using _producer = producer.eventLoop.start();
    for (let i = 0; i < 10; i++) producer.produce();
  }
  assert.deepEqual(consumer.content.toSorted(), SHARED_LOOP_ORDER.toSorted());
});

Deno.test("A pipeline with async processors on three loops delivers all ten products", async () => {
  const { producer, processorEven, processorOdd, consumer } = pipeline(new ProcessorOddAsync());
  {
    await using loop3 = new EventLoop().start();
    await using loop2 = new EventLoop().start();
    await using loop1 = new EventLoop().start();
    producer.eventLoop = loop1;
    processorEven.eventLoop = loop1;
    processorOdd.eventLoop = loop2;
    consumer.eventLoop = loop3;
    for (let i = 0; i < 10; i++) producer.produce();
  }
  assert.deepEqual(consumer.content.toSorted(), SHARED_LOOP_ORDER.toSorted());
});

Deno.test("A throwing consumer with exitOnException false emits exception once per product", async () => {
  const producer = new Producer();
  const processorEven = new ProcessorEven();
  const processorOdd = new ProcessorOddAsync();
  const consumer = new ConsumerException();
  consumer.eventLoop = new EventLoop({ exitOnException: false });
  const receiver = new ExceptionReceiver();
  connect(producer, processorEven);
  connect(processorEven, processorOdd);
  connect(processorOdd, consumer);
  connect(consumer.eventLoop, "exception", receiver, "onException");
  {
    await using _receiver = receiver.eventLoop.start();
    await using _consumer = consumer.eventLoop.start();
    await using _odd = processorOdd.eventLoop.start();
    await using _even = processorEven.eventLoop.start();
    await using _producer = producer.eventLoop.start();
    for (let i = 0; i < 10; i++) producer.produce();
  }
  assert.equal(receiver.content.length, 10);
  const messages = receiver.content.map((error) => (error as Error).message);
  assert.deepEqual(
    messages.toSorted(),
    SHARED_LOOP_ORDER.map((product) => `ConsumerException refuses ${product}`).toSorted(),
  );
});

Deno.test("The loops' started and stopped events drive a pipeline", async () => {
  const { producer, processorEven, processorOdd, consumer } = pipeline();
  connect(producer.eventLoop, "started", () => {
    for (let i = 0; i < 10; i++) producer.produce();
  });
  connect(producer.eventLoop, "stopped", () => consumer.content.push("final"));
  {
    await using _consumer = consumer.eventLoop.start();
    await using _odd = processorOdd.eventLoop.start();
    await using _even = processorEven.eventLoop.start();
    await using _producer = producer.eventLoop.start();
  }
  assert.deepEqual(consumer.content.toSorted(), [...SHARED_LOOP_ORDER, "final"].toSorted());
});

// -- Return values --

Deno.test("A slot's return value, sync or async, is awaited from its SlotCall", async () => {
  for (const a of [new SlotWithReturnValue(), new AsyncSlotWithReturnValue()]) {
    await using _ = a.eventLoop.start();
    const result: unknown = a.call();
    assert.notEqual(result, "foo");
    assert.ok(result instanceof SlotCall);
    assert.equal(await result, "foo");
  }
});
