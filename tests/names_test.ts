import assert from "node:assert/strict";
import { eventNamesOf, slotNameOf } from "../src/names.ts";

Deno.test("slotNameOf() maps snake_case and camelCase events to on… slots", () => {
  assert.equal(slotNameOf("request_product"), "onRequestProduct");
  assert.equal(slotNameOf("requestProduct"), "onRequestProduct");
  assert.equal(slotNameOf("produced"), "onProduced");
  assert.equal(slotNameOf("a_b_c"), "onABC");
  assert.equal(slotNameOf("_leading__double_"), "onLeadingDouble");
});

Deno.test("eventNamesOf() gives the snake_case and camelCase events of a slot", () => {
  assert.deepEqual(eventNamesOf("onProcessedResult"), ["processed_result", "processedResult"]);
  assert.deepEqual(eventNamesOf("onResult"), ["result"]);
  assert.deepEqual(eventNamesOf("online"), []);
  assert.deepEqual(eventNamesOf("result"), []);
});
