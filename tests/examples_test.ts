// Every in-process example runs and prints what the README says it prints.
import assert from "node:assert/strict";

async function run(example: string, ...args: string[]): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL(`../examples/${example}`, import.meta.url).pathname,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `${example} failed:\n${stderr}`);
  return new TextDecoder().decode(output.stdout);
}

const expected: Record<string, string> = {
  "emitting_events.ts": "received some product\n",
  "event_loop_and_slots.ts": "requested\nconsumed some product\n",
  "sharing_loops.ts": "consumer1 consumed product of producer1\n" +
    "consumer2 consumed product of producer2\n" +
    "consumer1 consumed product of producer1\n",
  "async_slots.ts": "consumed slow product after 30 ms\n" +
    "consumed fast product after 1 ms\n" +
    "the second slot returned 12\n",
  "awaiting_events.ts": "awaited some product\n",
  "event_loop_events.ts": "started\nidle\nactive\na queued call\nidle\nstopped\n",
  "exceptions.ts": 'consumed good\nexception: cannot consume "bad"\nconsumed also good\n',
};

for (const [example, output] of Object.entries(expected)) {
  Deno.test(`examples/${example} prints what the README shows`, async () => {
    assert.equal(await run(example), output);
  });
}

Deno.test("examples/pipeline.ts shows FIFO order on one loop and all ten on four loops", async () => {
  const output = await run("pipeline.ts");
  assert.match(
    output,
    /consumer received, in order: product even 0, product even 2, product even 4, product even 6, product even 8, product odd 1, product odd 3, product odd 5, product odd 7, product odd 9\n/,
  );
  assert.match(output, /consumer received 10 of 10: /);
});

Deno.test("examples/crossing_sockets.ts carries every request and product across three processes", async () => {
  const output = await run("crossing_sockets.ts", "2000");
  assert.match(output, /\[broker\] broker ready on ipc:\/\//);
  assert.match(output, /\[consumer\] consumer received 2000 of 2000 products in /);
  assert.match(output, /\[producer\] producer stopped\n/);
  assert.match(output, /\[broker\] broker stopped\n/);
});
