/**
 * MrEventLoop for Deno: objects declare events, other objects' methods become slots that run one
 * at a time, in FIFO order, on an event loop — actor-style code without locks or re-entrancy bugs.
 *
 * - `Event`, `Events` and `@emits` declare events; emitting calls every listener synchronously.
 * - `connect` / `disconnect` wire events to functions and to other objects' slots.
 * - `@slot`, `@hasEventLoop` and `EventLoop` queue slot calls and run them strictly in order.
 * - `SyncEvent` awaits the next emission; `@forwards` re-emits; `Spy` records calls in tests.
 *
 * The same events cross processes through `@mreventloop/core/sockets`.
 *
 * @example Producer and consumer
 * ```ts
 * import { connect, emits, type EventLoop, type Events, hasEventLoop, slot } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 *
 * @emits("events", ["produced"])
 * class Producer {
 *   declare readonly events: Events<{ produced: [product: string] }>;
 * }
 *
 * @hasEventLoop("eventLoop")
 * class Consumer {
 *   declare eventLoop: EventLoop;
 *   received: string[] = [];
 *   @slot
 *   onProduced(product: string) {
 *     this.received.push(product);
 *   }
 * }
 *
 * const producer = new Producer();
 * const consumer = new Consumer();
 * connect(producer, consumer);
 * {
 *   await using _ = consumer.eventLoop.start();
 *   producer.events.produced("some product");
 * }
 * assert.deepEqual(consumer.received, ["some product"]);
 * ```
 *
 * @module
 */

export * from "./src/event.ts";
export * from "./src/events.ts";
export * from "./src/names.ts";
export * from "./src/connect.ts";
export * from "./src/slot_call.ts";
export * from "./src/slot.ts";
export * from "./src/event_loop.ts";
export * from "./src/errors.ts";
export * from "./src/sync_event.ts";
export * from "./src/spy.ts";
export * from "./src/forwards.ts";
