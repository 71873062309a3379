// README "Crossing sockets": runs the broker, producer and consumer examples as three processes
// and prints how many events crossed and how fast.
// Run: deno run --allow-all examples/crossing_sockets.ts [count]
const count = Deno.args[0] ?? "100000";
const dir = await Deno.makeTempDir({ prefix: "mreventloop-" });
const endpoints = [`ipc://${dir}/in`, `ipc://${dir}/out`];

function run(script: string, args: string[]): { child: Deno.ChildProcess; ready: Promise<void> } {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL(script, import.meta.url).pathname, ...args],
    stdout: "piped",
  }).spawn();
  const ready = Promise.withResolvers<void>();
  (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      for (const line of chunk.split("\n").filter((l) => l !== "")) {
        console.log(`[${script.replace(/^\.\/crossing_sockets_|\.ts$/g, "")}] ${line}`);
        if (line.includes("ready")) ready.resolve();
      }
    }
  })();
  return { child, ready: ready.promise };
}

const broker = run("./crossing_sockets_broker.ts", endpoints);
const producer = run("./crossing_sockets_producer.ts", endpoints);
await Promise.all([broker.ready, producer.ready]);
const consumer = run("./crossing_sockets_consumer.ts", [count, ...endpoints]);
const { code } = await consumer.child.status;
producer.child.kill("SIGTERM");
await producer.child.status;
broker.child.kill("SIGTERM");
await broker.child.status;
await Deno.remove(dir, { recursive: true });
Deno.exitCode = code;
