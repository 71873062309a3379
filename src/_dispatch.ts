/**
 * Builds the function an `Event` calls to reach its listeners.
 *
 * Why: a loop `for (l of listeners) l(a)` has ONE call site for every listener, so with several
 * distinct listeners V8's inline cache goes megamorphic and every call becomes a slow generic call
 * (≈5 ns each). Generating one function per listener set, with one call site per listener
 * (`l0(a); l1(a); …`), keeps every call site monomorphic and inlinable — the trick tseep uses.
 * `bench/emit_bench.ts` shows the difference: 10 distinct listeners, baked vs loop.
 *
 * The generated functions are built with `new Function` once per (listener set, argument count),
 * never per emit. Where code generation is forbidden (a CSP without 'unsafe-eval'), or for
 * large listener sets, the plain loop below serves instead: same behaviour, slower dispatch.
 *
 * @module
 */

/** A listener as stored by an event: called with the emitted arguments. */
// deno-lint-ignore no-explicit-any
export type Listener = (...args: any[]) => unknown;

/** Calls listeners with a fixed number of leading arguments. */
export type Dispatch = (a?: unknown, b?: unknown, c?: unknown, d?: unknown) => void;

/** Beyond this many listeners the generated code stops paying for itself. */
const MAX_UNROLLED = 64;

const PARAMS = ["", "a", "a, b", "a, b, c", "a, b, c, d"];

let codeGeneration = canGenerateCode();

function canGenerateCode(): boolean {
  try {
    return new Function("return 1")() === 1;
  } catch {
    return false;
  }
}

/** A no-op shared by every event without listeners. */
export const dispatchNone: Dispatch = () => {};

/**
 * Returns a function calling each of `listeners` in order with exactly `argc` (0–4) arguments.
 * `listeners` must not be mutated afterwards (events replace their arrays, never mutate them).
 */
export function bakeDispatch(listeners: readonly Listener[], argc: number): Dispatch {
  const n = listeners.length;
  if (n === 0) return dispatchNone;
  if (n === 1 && argc > 0) return listeners[0] as Dispatch;
  if (codeGeneration && n <= MAX_UNROLLED) {
    try {
      return generate(listeners, argc);
    } catch {
      codeGeneration = false;
    }
  }
  return loop(listeners, argc);
}

function generate(listeners: readonly Listener[], argc: number): Dispatch {
  const params = PARAMS[argc];
  let locals = "";
  let calls = "";
  for (let i = 0; i < listeners.length; i++) {
    locals += `const l${i} = ls[${i}];\n`;
    calls += `l${i}(${params});\n`;
  }
  const factory = new Function("ls", `${locals}return function dispatch(${params}) {\n${calls}};`);
  return factory(listeners) as Dispatch;
}

function loop(listeners: readonly Listener[], argc: number): Dispatch {
  const n = listeners.length;
  switch (argc) {
    case 0:
      return () => {
        for (let i = 0; i < n; i++) listeners[i]();
      };
    case 1:
      return (a) => {
        for (let i = 0; i < n; i++) listeners[i](a);
      };
    case 2:
      return (a, b) => {
        for (let i = 0; i < n; i++) listeners[i](a, b);
      };
    case 3:
      return (a, b, c) => {
        for (let i = 0; i < n; i++) listeners[i](a, b, c);
      };
    default:
      return (a, b, c, d) => {
        for (let i = 0; i < n; i++) listeners[i](a, b, c, d);
      };
  }
}

/** Calls each listener with an argument list of any length: the path for five or more arguments. */
export function dispatchMany(listeners: readonly Listener[], args: ArrayLike<unknown>): void {
  for (let i = 0; i < listeners.length; i++) Reflect.apply(listeners[i], undefined, args);
}
