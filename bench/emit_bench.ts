/**
 * Synchronous emit to 1 and to 10 distinct listeners: our `Event` against `node:events`,
 * eventemitter3 and tseep, in one run so that `deno bench` prints the ratios.
 *
 *     deno bench --allow-all bench/emit_bench.ts
 *
 * Every bench emits 1000 times per iteration: time/iter in ns divided by 1000 is ns per emit.
 *
 * Why the listeners are built with `new Function`: real listeners are different functions of
 * different objects. Ten closures of one function literal share their code, so an emitter calling
 * them from one loop would look monomorphic here and be megamorphic in a real program. For the
 * same reason each bench gets its own compiled emit loop: benches never share a call site or
 * optimised code, whatever order they run in. Each listener only adds to a masked integer, so
 * nothing is allocated per call and the baselines do not measure the allocator. After every
 * iteration the bench checks that sum, so a broken emit path fails instead of looking fast.
 *
 * The last group first emits through many other emitters, as a program with many events does:
 * then the call sites inside each library that all its emitters share have seen many targets.
 *
 * @module
 */

import { Event } from "@mreventloop/core";
import { EventEmitter as NodeEmitter } from "node:events";
import { EventEmitter as EventEmitter3 } from "eventemitter3";
import { EventEmitter as Tseep } from "tseep";

const EMITS = 1000;
const MASK = 0xfffff;

type Listener = (x: number) => void;

/**
 * Numbers the generated functions: V8 caches code by source text, so two `new Function` calls with
 * the same text would share code and feedback — the sharing they exist to avoid.
 */
let generated = 0;

/** Where the listeners of one emitter add what they receive. */
interface Sink {
  acc: number;
}

/** `n` listeners, each with its own code: listener `k` adds `x + k` to `sink.acc`. */
function listeners(sink: Sink, n: number): Listener[] {
  const made: Listener[] = [];
  for (let k = 0; k < n; k++) {
    const factory = new Function(
      "sink",
      `return function listener${generated++}(x) { sink.acc = (sink.acc + x + ${k}) & ${MASK}; };`,
    );
    made.push(factory(sink));
  }
  return made;
}

/** A loop of `EMITS` emits `call` (an expression of `target` and `i`), compiled on its own. */
function emitLoop(call: string, target: unknown): () => void {
  const factory = new Function(
    "target",
    `return function emitLoop${generated++}() { for (let i = 0; i < ${EMITS}; i++) ${call}; };`,
  );
  return factory(target);
}

/** What `EMITS` emits of 0, 1, … add to a sink with `n` listeners, modulo the mask. */
function expectedGain(n: number): number {
  return (n * (EMITS * (EMITS - 1) / 2) + EMITS * (n * (n - 1) / 2)) & MASK;
}

/** A minimal emitter: one loop over a listener array, one call site for every listener. */
class ArrayLoopEmitter {
  #listeners: Listener[] = [];
  on(listener: Listener): void {
    this.#listeners = [...this.#listeners, listener];
  }
  emit(x: number): void {
    const ls = this.#listeners;
    for (let i = 0; i < ls.length; i++) ls[i](x);
  }
}

/** Adds `ls` to the event "e" of an emitter with the `on` method of node:events. */
function listening<E extends { on(name: "e", listener: Listener): unknown }>(
  emitter: E,
  ls: Listener[],
): E {
  for (const l of ls) emitter.on("e", l);
  return emitter;
}

/** One contender: how to make an emitter with listeners, and the expression that emits `i`. */
interface Contender {
  name: string;
  make(listeners: Listener[]): unknown;
  emit: string;
}

const contenders: Contender[] = [
  {
    name: "ours: Event",
    make(ls) {
      const event = new Event<[x: number]>("e");
      for (const l of ls) event.addListener(l);
      return event;
    },
    emit: "target(i)",
  },
  {
    name: "tseep@1.3.1",
    make: (ls) => listening(new Tseep<{ e: Listener }>(), ls),
    emit: 'target.emit("e", i)',
  },
  {
    name: "eventemitter3@5.0.4",
    make: (ls) => listening(new EventEmitter3(), ls),
    emit: 'target.emit("e", i)',
  },
  {
    name: "node:events",
    make: (ls) => listening(new NodeEmitter(), ls),
    emit: 'target.emit("e", i)',
  },
];

/** Not a baseline to beat: the plain loop `src/_dispatch.ts` replaces, to show why it does. */
const arrayLoop: Contender = {
  name: "array loop, one call site",
  make(ls) {
    const emitter = new ArrayLoopEmitter();
    for (const l of ls) emitter.on(l);
    return emitter;
  },
  emit: "target.emit(i)",
};

let otherEventsInUse = false;

/** Emits through 30 emitters of each kind with 1–3 listeners each, once per process. */
function useOtherEvents(): void {
  if (otherEventsInUse) return;
  otherEventsInUse = true;
  for (let k = 0; k < 30; k++) {
    for (const c of [...contenders, arrayLoop]) {
      const sink = { acc: 0 };
      emitLoop(c.emit, c.make(listeners(sink, 1 + k % 3)))();
    }
  }
}

function register(group: string, n: number, others: boolean, extra: Contender[] = []): void {
  for (const c of [...contenders, ...extra]) {
    const sink = { acc: 0 };
    const loop = emitLoop(c.emit, c.make(listeners(sink, n)));
    const gain = expectedGain(n);
    Deno.bench(`${c.name}, ${EMITS} emits`, { group, baseline: c === contenders[0] }, () => {
      if (others) useOtherEvents();
      const want = (sink.acc + gain) & MASK;
      loop();
      if (sink.acc !== want) {
        throw new Error(`${c.name}: listeners added up to ${sink.acc}, expected ${want}`);
      }
    });
  }
}

register("emit to 1 listener", 1, false);
register("emit to 10 distinct listeners", 10, false, [arrayLoop]);
register("emit to 1 listener, with many other emitters in use", 1, true);
register("emit to 10 distinct listeners, with many other emitters in use", 10, true);
