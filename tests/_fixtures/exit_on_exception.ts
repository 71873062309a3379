// Run by tests/event_loop_test.ts in a subprocess: a slot throws on a loop with the default
// exception policy, which must log the error with its stack and end the process with status 1.
// Usage: deno run -A exit_on_exception.ts sync|async

import { type EventLoop, hasEventLoop, slot } from "../../mod.ts";

@hasEventLoop("eventLoop")
class Exploder {
  declare eventLoop: EventLoop;

  @slot
  explodeNow(): void {
    throw new Error("sync slot failed on purpose");
  }

  @slot
  async explodeLater(): Promise<void> {
    await Promise.resolve();
    throw new Error("async slot failed on purpose");
  }
}

const exploder = new Exploder();
{
  await using _ = exploder.eventLoop.start();
  console.log("the loop is running");
  if (Deno.args[0] === "async") exploder.explodeLater();
  else exploder.explodeNow();
}
console.log("still alive after the loop stopped");
