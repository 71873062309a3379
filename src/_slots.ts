/**
 * How slots find their loop, and the listeners `connect` makes of them.
 *
 * @module
 */

import { EventLoop } from "./event_loop.ts";
import { classNameOf, describe, LOOP, LOOP_ATTR, POST, SLOT_METHOD } from "./_internal.ts";

// deno-lint-ignore no-explicit-any
type AnyMethod = (this: any, ...args: any[]) => unknown;

/**
 * The loop of `object`: the one assigned to it, or the one `@hasEventLoop` creates on first use.
 *
 * @throws {TypeError} if a class field hides the attribute `@hasEventLoop` defines and holds no
 * loop: queuing nothing and running the slot at once would break the one-at-a-time promise.
 */
export function loopOf(object: object): EventLoop | undefined {
  const loop = (object as { [LOOP]?: EventLoop })[LOOP];
  if (loop !== undefined) return loop;
  const attr = (object as { [LOOP_ATTR]?: string })[LOOP_ATTR];
  if (attr === undefined) return undefined;
  const value = (object as Record<string, unknown>)[attr];
  if (value instanceof EventLoop) return value;
  throw new TypeError(
    `Cannot queue a slot call on ${
      classNameOf(object)
    }: its @hasEventLoop attribute "${attr}" holds ${
      describe(value)
    }, not an EventLoop (declare it with \`declare ${attr}: EventLoop\`, not a class field)`,
  );
}

/**
 * A listener that queues `receiver`'s slot `fn` without creating a `SlotCall` — the fire-and-forget
 * path `connect` uses, since an emitter never awaits its listeners. Plain methods are bound instead.
 */
export function listenerFor(receiver: object, fn: AnyMethod): AnyMethod {
  const target = (fn as { [SLOT_METHOD]?: AnyMethod })[SLOT_METHOD];
  if (target === undefined) return fn.bind(receiver);
  const listener = function (a?: unknown, b?: unknown, c?: unknown, d?: unknown): void {
    const loop = loopOf(receiver);
    if (loop === undefined) {
      target.apply(receiver, arguments as unknown as unknown[]);
      return;
    }
    const argc = arguments.length;
    if (argc <= 4) loop[POST](target, receiver, argc, a, b, c, d, undefined);
    else {loop[POST](
        target,
        receiver,
        -1,
        Array.from(arguments),
        undefined,
        undefined,
        undefined,
        undefined,
      );}
  };
  Object.defineProperty(listener, "name", { value: `${classNameOf(receiver)}.${fn.name}` });
  return listener;
}
