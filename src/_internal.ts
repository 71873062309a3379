/**
 * Keys and helpers shared between the core's modules but not part of the public API.
 *
 * @module
 */

/** On an `Events` namespace: its event names in declaration order. */
export const EVENT_NAMES: unique symbol = Symbol("mreventloop.eventNames");
/** On an `@emits` class's prototype: the attribute holding the namespace. */
export const EMITS_ATTR: unique symbol = Symbol("mreventloop.emitsAttr");
/** On an `@emits` class's prototype: the declared event names. */
export const EMITS_NAMES: unique symbol = Symbol("mreventloop.emitsNames");
/** On an object with an event loop: the loop itself, once created or assigned. */
export const LOOP: unique symbol = Symbol("mreventloop.loop");
/** On a `@hasEventLoop` class's prototype: the attribute holding the loop. */
export const LOOP_ATTR: unique symbol = Symbol("mreventloop.loopAttr");
/** On a `@slot` method: the undecorated method. */
export const SLOT_METHOD: unique symbol = Symbol("mreventloop.slotMethod");
/** `EventLoop`'s hot entry point for queued calls. */
export const POST: unique symbol = Symbol("mreventloop.post");
/** `SlotCall`'s settle functions, called by the loop. */
export const RESOLVE: unique symbol = Symbol("mreventloop.resolve");
export const REJECT: unique symbol = Symbol("mreventloop.reject");

/** The names of the events in an `Events` namespace, in declaration order. */
export function eventNamesOf(events: object): string[] {
  return (events as { [EVENT_NAMES]: string[] })[EVENT_NAMES];
}

/** Describes a value in an error message without printing all of it. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (typeof value === "object") return `an object of class ${classNameOf(value)}`;
  if (typeof value === "string") {
    return `string "${value.length > 40 ? value.slice(0, 40) + "…" : value}"`;
  }
  return `${typeof value} ${String(value)}`;
}

/** The name of `object`'s class, for error messages. */
export function classNameOf(object: object): string {
  const ctor = Object.getPrototypeOf(object)?.constructor;
  return typeof ctor === "function" && ctor.name ? ctor.name : "Object";
}

/** Ends the process with `code` on Deno, Node and Bun: the core's only runtime-specific call. */
export function exitProcess(code: number): never {
  const g = globalThis as {
    Deno?: { exit(code: number): never };
    process?: { exit(code: number): never };
  };
  if (g.Deno) g.Deno.exit(code);
  if (g.process) g.process.exit(code);
  throw new Error(`Cannot exit the process with status ${code}: no Deno or process global`);
}

/**
 * Throws when a per-instance attribute (events, loop) is read on a prototype: created there, it
 * would be shared by every later instance.
 */
export function assertInstance(object: object, attr: string): void {
  if (Object.hasOwn(object, "constructor")) {
    throw new TypeError(
      `Cannot read ${
        (object.constructor as { name?: string }).name
      }.prototype.${attr}: each instance has its own; read it on an instance`,
    );
  }
}
