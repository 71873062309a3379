/**
 * `@slot`: methods that run on their object's event loop.
 *
 * @module
 */

import { POST, SLOT_METHOD } from "./_internal.ts";
import { loopOf } from "./_slots.ts";
import { SlotCall } from "./slot_call.ts";

// deno-lint-ignore no-explicit-any
type AnyMethod = (this: any, ...args: any[]) => unknown;

/**
 * Method decorator: when the object has an event loop (see `hasEventLoop`), calling the method
 * does not run it but queues it on the loop and returns a `SlotCall`, an awaitable of the
 * method's result; `await obj.slot(x)` gives the result whether or not the object has a loop.
 * Without a loop the method runs at once, as a plain method.
 *
 * A queued call that throws goes to the loop's exception policy; a caller awaiting the
 * `SlotCall` sees the error too.
 *
 * @example A slot queued on its object's loop
 * ```ts
 * import { type EventLoop, hasEventLoop, slot } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 *
 * @hasEventLoop("eventLoop")
 * class Counter {
 *   declare eventLoop: EventLoop;
 *   count = 0;
 *   @slot
 *   async add(n: number): Promise<number> {
 *     await Promise.resolve();
 *     return this.count += n;
 *   }
 * }
 *
 * const counter = new Counter();
 * counter.add(1);
 * counter.add(2);
 * assert.equal(counter.count, 0); // queued, not run
 * await using _ = counter.eventLoop.start();
 * assert.equal(await counter.add(3), 6);
 * ```
 */
// deno-lint-ignore no-explicit-any
export function slot<This extends object, M extends (this: This, ...args: any[]) => any>(
  method: M,
  context: ClassMethodDecoratorContext<This, M>,
): M {
  if (context.kind !== "method") {
    throw new TypeError(
      `Cannot apply @slot to ${context.kind} ${String(context.name)}: it decorates methods`,
    );
  }
  const target = method as unknown as AnyMethod;
  const slotted = function (this: This, a?: unknown, b?: unknown, c?: unknown, d?: unknown) {
    const loop = loopOf(this);
    if (loop === undefined) return target.apply(this, arguments as unknown as unknown[]);
    const call = new SlotCall();
    const argc = arguments.length;
    if (argc <= 4) loop[POST](target, this, argc, a, b, c, d, call);
    else loop[POST](target, this, -1, Array.from(arguments), undefined, undefined, undefined, call);
    return call;
  };
  Object.defineProperty(slotted, "name", { value: target.name });
  Object.defineProperty(slotted, SLOT_METHOD, { value: target });
  return slotted as unknown as M;
}
