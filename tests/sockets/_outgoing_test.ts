import assert from "node:assert/strict";
import { MAX_BATCH_BYTES, OutgoingQueue } from "../../src/sockets/_outgoing.ts";

/** Takes every frame off `queue`, as `#runFlush` does. */
function drain(queue: OutgoingQueue): string[] {
  const frames: string[] = [];
  while (!queue.empty) {
    frames.push(queue.first());
    queue.shift();
  }
  return frames;
}

const request = (name: string, n: number) =>
  `{"jsonrpc": "2.0", "method": "${name}", "params": [${n}]}`;

Deno.test("OutgoingQueue batches consecutive events of one name, in order, as json.dumps writes a list", () => {
  const queue = new OutgoingQueue();
  queue.add("a", request("a", 1));
  queue.add("a", request("a", 2));
  queue.add("b", request("b", 3));
  queue.add("a", request("a", 4));
  assert.equal(queue.size, 4);
  assert.deepEqual(drain(queue), [
    `[${request("a", 1)}, ${request("a", 2)}]`,
    request("b", 3),
    request("a", 4),
  ]);
  assert.equal(queue.size, 0);
  assert.equal(queue.empty, true);
});

Deno.test("OutgoingQueue closes a batch once it is taken: later events start a new one", () => {
  const queue = new OutgoingQueue();
  queue.add("a", request("a", 1));
  assert.equal(queue.first(), request("a", 1));
  queue.add("a", request("a", 2)); // while the first is being sent
  assert.equal(queue.size, 2);
  queue.shift();
  assert.equal(queue.size, 1);
  assert.deepEqual(drain(queue), [request("a", 2)]);
});

Deno.test("OutgoingQueue holds at most 512 events and 64 KiB in a batch; a larger event goes alone", () => {
  const queue = new OutgoingQueue();
  for (let i = 0; i < 1100; i++) queue.add("n", request("n", i));
  const kilobyte = "k".repeat(1000);
  for (let i = 0; i < 100; i++) queue.add("s", kilobyte);
  const huge = "x".repeat(MAX_BATCH_BYTES + 1);
  queue.add("s", huge);
  queue.add("s", kilobyte);
  assert.equal(queue.size, 1202);
  const frames = drain(queue);
  const counts = frames.slice(0, 3).map((f) => JSON.parse(f).length);
  assert.deepEqual(counts, [512, 512, 76]);
  const numbers = frames.slice(0, 3).flatMap((f) =>
    JSON.parse(f).map((r: { params: number[] }) => r.params[0])
  );
  assert.deepEqual(numbers, Array.from({ length: 1100 }, (_, i) => i));
  const kilobytes = frames.slice(3, -2);
  assert.ok(kilobytes.every((f) => f.length <= MAX_BATCH_BYTES));
  assert.equal(kilobytes.join("").split(kilobyte).length - 1, 100);
  assert.deepEqual(frames.slice(-2), [huge, kilobyte]);
});

Deno.test("OutgoingQueue keeps its order across the compaction of a long queue", () => {
  const queue = new OutgoingQueue();
  const sent: string[] = [];
  let next = 0;
  // alternate names so that every event is a run of its own; take half as fast as they come
  for (let round = 0; round < 3000; round++) {
    queue.add(next % 2 === 0 ? "a" : "b", request("x", next++));
    queue.add(next % 2 === 0 ? "a" : "b", request("x", next++));
    sent.push(queue.first());
    queue.shift();
  }
  sent.push(...drain(queue));
  assert.deepEqual(sent, Array.from({ length: next }, (_, i) => request("x", i)));
  assert.equal(queue.size, 0);
});
