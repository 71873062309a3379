// README "Crossing sockets", process 1 of 3: the broker relays events between peers.
// Run: deno run --allow-all examples/crossing_sockets_broker.ts [inEndpoint] [outEndpoint]
// Stops on Ctrl+C or SIGTERM: leaving the `await using` scope closes it and removes its files.
import { Broker } from "@mreventloop/core/sockets";

const [inEndpoint = "ipc:///tmp/mreventloop-in", outEndpoint = "ipc:///tmp/mreventloop-out"] =
  Deno.args;

const stop = Promise.withResolvers<void>();
for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, stop.resolve);
{
  await using broker = await new Broker(inEndpoint, outEndpoint).start();
  console.log(`broker ready on ${broker.inEndpoint} ${broker.outEndpoint}`);
  await stop.promise;
}
console.log("broker stopped");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.removeSignalListener(signal, stop.resolve);
}
