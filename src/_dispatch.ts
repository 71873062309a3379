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
 * never per emit, and only once that set has been emitted to `HOT` times: compiling costs about
 * as much as a thousand looped emits. Each gets its own source text, since V8 shares code, and so
 * call-site feedback, between functions of the same text: otherwise two events with as many
 * listeners would make every `lN(…)` megamorphic again (`bench/emit_bench.ts`, groups "with many
 * other emitters in use"). Where code generation is forbidden (a CSP without 'unsafe-eval'), or
 * for large listener sets, the plain loop below serves instead: same behaviour, slower dispatch.
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
 *
 * Where code would be generated, the plain loop serves the first `HOT` emits, and then `promote`
 * receives the generated function, for the event to call from then on: compiling costs about as
 * much as a thousand looped emits, so only events emitted that often pay for it.
 */
export function bakeDispatch(
  listeners: readonly Listener[],
  argc: number,
  promote: (dispatch: Dispatch) => void,
): Dispatch {
  const n = listeners.length;
  if (n === 0) return dispatchNone;
  if (n === 1 && argc > 0) return listeners[0] as Dispatch;
  if (!codeGeneration || n > MAX_UNROLLED) return loop(listeners, argc);
  const looped = loop(listeners, argc);
  let left = HOT;
  return (a, b, c, d) => {
    if (--left === 0) {
      try {
        promote(generate(listeners, argc));
      } catch {
        codeGeneration = false;
      }
    }
    looped(a, b, c, d);
  };
}

/** Emits through the loop before the generated function takes over. */
const HOT = 1024;

/** How many dispatch functions were generated: numbers their names, to keep their texts apart. */
let generated = 0;

function generate(listeners: readonly Listener[], argc: number): Dispatch {
  const params = PARAMS[argc];
  let locals = "";
  let calls = "";
  for (let i = 0; i < listeners.length; i++) {
    locals += `const l${i} = ls[${i}];\n`;
    calls += `l${i}(${params});\n`;
  }
  // The number makes each source text unique. V8 caches `new Function` code by its text, so
  // events with as many listeners would otherwise share one function's call-site feedback, and
  // every `lN(…)` would see all their listeners: megamorphic, the very thing baking avoids.
  const factory = new Function(
    "ls",
    `${locals}return function dispatch${generated++}(${params}) {\n${calls}};`,
  );
  return factory(listeners) as Dispatch;
}

function loop(listeners: readonly Listener[], argc: number): Dispatch {
  const n = listeners.length;
  // Each listener is read into `l` first: `listeners[i](a)` would call it with `this` = the array.
  switch (argc) {
    case 0:
      return () => {
        for (let i = 0; i < n; i++) {
          const l = listeners[i];
          l();
        }
      };
    case 1:
      return (a) => {
        for (let i = 0; i < n; i++) {
          const l = listeners[i];
          l(a);
        }
      };
    case 2:
      return (a, b) => {
        for (let i = 0; i < n; i++) {
          const l = listeners[i];
          l(a, b);
        }
      };
    case 3:
      return (a, b, c) => {
        for (let i = 0; i < n; i++) {
          const l = listeners[i];
          l(a, b, c);
        }
      };
    default:
      return (a, b, c, d) => {
        for (let i = 0; i < n; i++) {
          const l = listeners[i];
          l(a, b, c, d);
        }
      };
  }
}

/** Calls each listener with an argument list of any length: the path for five or more arguments. */
export function dispatchMany(listeners: readonly Listener[], args: ArrayLike<unknown>): void {
  for (let i = 0; i < listeners.length; i++) Reflect.apply(listeners[i], undefined, args);
}
