import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  type Decoded,
  decodeFrame,
  DEFAULT_MAX_FRAME_BYTES,
  encodeRequest,
  type FrameFailure,
  nextRequestId,
  quote,
  RequestEncoder,
  subscriptionPrefix,
} from "../../src/sockets/codec.ts";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function decodeAll(frame: Uint8Array | string, maxFrameBytes?: number): Decoded[] {
  const into: Decoded[] = [];
  const count = decodeFrame(typeof frame === "string" ? bytes(frame) : frame, into, {
    maxFrameBytes,
  });
  assert.equal(count, into.length);
  return into;
}

function decodeOne(frame: Uint8Array | string): Decoded {
  const decoded = decodeAll(frame);
  assert.equal(decoded.length, 1);
  return decoded[0];
}

function failureOf(frame: Uint8Array | string, maxFrameBytes?: number): FrameFailure {
  const decoded = decodeAll(frame, maxFrameBytes);
  assert.equal(decoded.length, 1);
  assert.equal(decoded[0].ok, false, `expected a failure, decoded ${JSON.stringify(decoded[0])}`);
  return decoded[0] as FrameFailure;
}

/** mulberry32: a small seeded PRNG, so a failing random case can be replayed from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedFromEnv(): number {
  const fromEnv = Deno.env.get("CODEC_TEST_SEED");
  return fromEnv === undefined ? Math.floor(Math.random() * 2 ** 32) : Number(fromEnv);
}

// -- Encoding: the frames Python writes --

Deno.test("RequestEncoder.encode() writes the frames Python MrEventLoop writes, byte for byte", () => {
  assert.equal(
    new RequestEncoder("produced").encode(["some product"], 1),
    '{"jsonrpc": "2.0", "method": "produced", "params": ["some product"], "id": 1}',
  );
  assert.equal(
    new RequestEncoder("two_args").encode(["a", 1], 2),
    '{"jsonrpc": "2.0", "method": "two_args", "params": ["a", 1], "id": 2}',
  );
  assert.equal(
    new RequestEncoder("no_args").encode([], 3),
    '{"jsonrpc": "2.0", "method": "no_args", "id": 3}',
  );
  assert.equal(
    new RequestEncoder("produced").encode(['grüße ✓ "q" \\ /'], 5),
    String
      .raw`{"jsonrpc": "2.0", "method": "produced", "params": ["gr\u00fc\u00dfe \u2713 \"q\" \\ /"], "id": 5}`,
  );
});

Deno.test("encodeRequest() escapes strings as json.dumps does", () => {
  // expected frames captured from Python 3.11 json.dumps
  const cases: [string, string][] = [
    ["\x00\x01\b\t\n\x0b\f\r\x1f\x7f", String.raw`\u0000\u0001\b\t\n\u000b\f\r\u001f\u007f`],
    ['"\\/', String.raw`\"\\/`],
    ["\u00e9\u4e2d\u2028\u2029\ufeff\uffff", String.raw`\u00e9\u4e2d\u2028\u2029\ufeff\uffff`],
    ["😀", String.raw`\ud83d\ude00`],
    ["a\ud800b", String.raw`a\ud800b`],
    ["\udc00", String.raw`\udc00`],
    ["a, b: c", "a, b: c"],
    [
      "a long plain string of more than thirty-two characters",
      "a long plain string of more than thirty-two characters",
    ],
    [
      'a long string with a quote " past the thirty-two',
      String.raw`a long string with a quote \" past the thirty-two`,
    ],
  ];
  for (const [text, written] of cases) {
    assert.equal(
      encodeRequest("produced", [text], 1),
      `{"jsonrpc": "2.0", "method": "produced", "params": ["${written}"], "id": 1}`,
    );
    assert.equal(quote(text), `"${written}"`);
  }
  assert.equal(
    encodeRequest("grüße", [], 4),
    String.raw`{"jsonrpc": "2.0", "method": "gr\u00fc\u00dfe", "id": 4}`,
  );
});

Deno.test("encodeRequest() writes nested arrays and objects with json.dumps separators", () => {
  const args = [{ a: [1, { b: null }], "c, d": "e: f", "": {} }, [], true, false, null, -3, 2.5];
  assert.equal(
    encodeRequest("nested", args, 9),
    '{"jsonrpc": "2.0", "method": "nested", "params": [{"a": [1, {"b": null}], "c, d": "e: f", "": {}}, [], true, false, null, -3, 2.5], "id": 9}',
  );
});

Deno.test("encodeRequest() writes numbers as JSON.stringify does", () => {
  const args = [0, -0, 1.0, 1.5, -7, 1e21, 1e-7, 2 ** 53, Number.MAX_VALUE];
  assert.equal(
    encodeRequest("numbers", args, 1),
    `{"jsonrpc": "2.0", "method": "numbers", "params": [${
      args.map((n) => JSON.stringify(n)).join(", ")
    }], "id": 1}`,
  );
});

// -- Encoding: ids --

Deno.test("nextRequestId() starts at 1 and counts up by one per request of the process", async () => {
  // a fresh instance of the module has a fresh counter, as a fresh process would
  const url = new URL("../../src/sockets/codec.ts?fresh-counter", import.meta.url).href;
  const fresh: typeof import("../../src/sockets/codec.ts") = await import(url);
  assert.equal(fresh.encodeRequest("a", []), '{"jsonrpc": "2.0", "method": "a", "id": 1}');
  const encoder = new fresh.RequestEncoder("b");
  assert.equal(
    encoder.encode([true]),
    '{"jsonrpc": "2.0", "method": "b", "params": [true], "id": 2}',
  );
  assert.equal(fresh.nextRequestId(), 3);
  assert.equal(fresh.encodeRequest("a", []), '{"jsonrpc": "2.0", "method": "a", "id": 4}');
});

Deno.test("RequestEncoder.encode() takes its id from nextRequestId() unless given one", () => {
  const before = nextRequestId();
  const encoder = new RequestEncoder("x");
  assert.equal(encoder.encode([]), `{"jsonrpc": "2.0", "method": "x", "id": ${before + 1}}`);
  assert.equal(encoder.encode([], 42), '{"jsonrpc": "2.0", "method": "x", "id": 42}');
  assert.equal(nextRequestId(), before + 2);
});

// -- Encoding: JavaScript values JSON has no word for --

Deno.test("encodeRequest() writes an undefined argument or array element as null", () => {
  assert.equal(
    encodeRequest("x", [undefined, [1, undefined]], 1),
    '{"jsonrpc": "2.0", "method": "x", "params": [null, [1, null]], "id": 1}',
  );
  // eslint-style holes: a sparse array's holes are undefined too
  const sparse = [1, , 3];
  assert.equal(
    encodeRequest("x", [sparse], 1),
    '{"jsonrpc": "2.0", "method": "x", "params": [[1, null, 3]], "id": 1}',
  );
});

Deno.test("encodeRequest() leaves out object properties holding undefined", () => {
  assert.equal(
    encodeRequest("x", [{ a: undefined, b: 1, c: undefined }, { a: undefined }], 1),
    '{"jsonrpc": "2.0", "method": "x", "params": [{"b": 1}, {}], "id": 1}',
  );
});

Deno.test("encodeRequest() writes what toJSON() returns, called with its key", () => {
  const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6));
  const keys: string[] = [];
  const spy = {
    toJSON(key: string) {
      keys.push(key);
      return { key, again: { toJSON: () => "inner" } };
    },
  };
  assert.equal(
    encodeRequest("x", [date, [spy], { prop: spy }, new Date(NaN)], 1),
    '{"jsonrpc": "2.0", "method": "x", "params": ["2024-01-02T03:04:05.006Z", ' +
      '[{"key": "0", "again": "inner"}], {"prop": {"key": "prop", "again": "inner"}}, null], "id": 1}',
  );
  assert.deepEqual(keys, ["0", "prop"]);
  // toJSON() is called once per value, not again on what it returned
  class Selfish {
    a = 1;
    toJSON(): this {
      return this;
    }
  }
  assert.equal(
    encodeRequest("x", [new Selfish()], 1),
    '{"jsonrpc": "2.0", "method": "x", "params": [{"a": 1}], "id": 1}',
  );
  assert.throws(
    () => encodeRequest("x", [{ toJSON: () => () => 1 }], 1),
    { name: "TypeError", message: "Cannot publish x: argument 0 contains a function" },
  );
});

Deno.test("encodeRequest() writes boxed primitives as their primitive and class instances by own properties", () => {
  class Point {
    constructor(readonly x: number, readonly y: number) {}
    get length(): number {
      return Math.hypot(this.x, this.y);
    }
  }
  assert.equal(
    encodeRequest("x", [Object("s"), Object(2), Object(false), new Point(3, 4)], 1),
    '{"jsonrpc": "2.0", "method": "x", "params": ["s", 2, false, {"x": 3, "y": 4}], "id": 1}',
  );
  assert.equal(
    encodeRequest("x", [Object.assign(Object.create(null), { a: 1 })], 1),
    '{"jsonrpc": "2.0", "method": "x", "params": [{"a": 1}], "id": 1}',
  );
});

Deno.test("encodeRequest() writes an object reached twice without a cycle twice", () => {
  const shared = { a: 1 };
  assert.equal(
    encodeRequest("x", [[shared, shared], shared], 1),
    '{"jsonrpc": "2.0", "method": "x", "params": [[{"a": 1}, {"a": 1}], {"a": 1}], "id": 1}',
  );
});

// -- Encoding: payloads JSON cannot carry --

Deno.test("encodeRequest() rejects what JSON cannot carry, naming the event, argument and place", () => {
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = cycle;
  const arrayCycle: unknown[] = [];
  arrayCycle.push([arrayCycle]);
  const cases: [unknown[], string][] = [
    [[10n], "argument 0 contains a BigInt"],
    [["a", () => 1], "argument 1 contains a function"],
    [[Symbol("s")], "argument 0 contains a symbol"],
    [[NaN], "argument 0 contains NaN"],
    [[Infinity], "argument 0 contains Infinity"],
    [[-Infinity], "argument 0 contains -Infinity"],
    [[Object(NaN)], "argument 0 contains NaN"],
    [[Object(1n)], "argument 0 contains a BigInt"],
    [[cycle], "argument 0 contains a cycle at .self"],
    [[arrayCycle], "argument 0 contains a cycle at [0][0]"],
    [[new Map()], "argument 0 contains a Map"],
    [[new Set([1])], "argument 0 contains a Set"],
    [[new WeakMap()], "argument 0 contains a WeakMap"],
    [[new Uint8Array(2)], "argument 0 contains a Uint8Array"],
    [[new ArrayBuffer(2)], "argument 0 contains an ArrayBuffer"],
    [[/x/], "argument 0 contains a RegExp"],
    [[new RangeError("r")], "argument 0 contains an Error"],
    [[Promise.resolve()], "argument 0 contains a Promise"],
    [[{ a: [1, { b: 2n }] }], "argument 0 contains a BigInt at .a[1].b"],
    [[{ "odd key": { f() {} } }], 'argument 0 contains a function at ["odd key"].f'],
    [[{ a: Symbol() }], "argument 0 contains a symbol at .a"],
    [[[1, NaN]], "argument 0 contains NaN at [1]"],
  ];
  for (const [args, what] of cases) {
    assert.throws(() => encodeRequest("produced", args, 1), {
      name: "TypeError",
      message: `Cannot publish produced: ${what}`,
    });
  }
});

Deno.test("encodeRequest() rejects a payload nested deeper than the stack as too deep", () => {
  let deep: unknown[] = [];
  for (let i = 0; i < 200_000; i++) deep = [deep];
  assert.throws(() => encodeRequest("deep", [1, deep], 1), {
    name: "TypeError",
    message: "Cannot publish deep: argument 1 is too deep or too large to write as JSON",
  });
});

Deno.test("encodeRequest() lets errors thrown by the application's toJSON() propagate unchanged", () => {
  const failure = new Error("my toJSON failed");
  assert.throws(() =>
    encodeRequest("x", [{
      toJSON() {
        throw failure;
      },
    }], 1), (error) => error === failure);
});

Deno.test("new RequestEncoder() rejects a method that is not a string", () => {
  assert.throws(() => new RequestEncoder(7 as unknown as string), {
    name: "TypeError",
    message: "Cannot encode requests: the method must be a string, received 7",
  });
});

// -- Subscription prefix --

Deno.test("subscriptionPrefix() starts every frame of its event and no frame of another", () => {
  const prefix = subscriptionPrefix("produced");
  assert.equal(prefix, '{"jsonrpc": "2.0", "method": "produced"');
  assert.ok(encodeRequest("produced", [1], 1).startsWith(prefix));
  assert.ok(encodeRequest("produced", [], 1).startsWith(prefix));
  // a notification without params, as json.dumps writes it
  assert.ok('{"jsonrpc": "2.0", "method": "produced"}'.startsWith(prefix));
  assert.ok(!encodeRequest("produced_twice", [1], 1).startsWith(prefix));
  assert.ok(!encodeRequest("produce", [1], 1).startsWith(prefix));
  assert.equal(
    subscriptionPrefix("grüße"),
    String.raw`{"jsonrpc": "2.0", "method": "gr\u00fc\u00dfe"`,
  );
  assert.ok(encodeRequest("grüße", ["x"], 1).startsWith(subscriptionPrefix("grüße")));
});

// -- Decoding: what Python peers send --

Deno.test("decodeFrame() reads the frames Python MrEventLoop writes", () => {
  assert.deepEqual(
    decodeOne('{"jsonrpc": "2.0", "method": "produced", "params": ["some product"], "id": 1}'),
    { ok: true, method: "produced", args: ["some product"] },
  );
  assert.deepEqual(
    decodeOne('{"jsonrpc": "2.0", "method": "two_args", "params": ["a", 1], "id": 2}'),
    { ok: true, method: "two_args", args: ["a", 1] },
  );
  assert.deepEqual(decodeOne('{"jsonrpc": "2.0", "method": "no_args", "id": 3}'), {
    ok: true,
    method: "no_args",
    args: [],
  });
  assert.deepEqual(
    decodeOne(
      String
        .raw`{"jsonrpc": "2.0", "method": "produced", "params": ["gr\u00fc\u00dfe \u2713 \"q\" \\ /"], "id": 5}`,
    ),
    { ok: true, method: "produced", args: ['grüße ✓ "q" \\ /'] },
  );
});

Deno.test("decodeFrame() reads notifications, object params and compact or raw UTF-8 JSON", () => {
  assert.deepEqual(decodeOne('{"jsonrpc":"2.0","method":"n","params":[1]}'), {
    ok: true,
    method: "n",
    args: [1],
  });
  assert.deepEqual(decodeOne('{"method": "n", "jsonrpc": "2.0", "id": null}'), {
    ok: true,
    method: "n",
    args: [],
  });
  assert.deepEqual(decodeOne('{"jsonrpc": "2.0", "method": "kw", "params": {"a": 1, "b": [2]}}'), {
    ok: true,
    method: "kw",
    args: [{ a: 1, b: [2] }],
  });
  assert.deepEqual(
    decodeOne(' \n{"jsonrpc": "2.0", "method": "grüße", "params": ["✓ 😀 \ufffd"]} '),
    {
      ok: true,
      method: "grüße",
      args: ["✓ 😀 \ufffd"],
    },
  );
});

Deno.test("decodeFrame() reads a batch as one request per entry, in order", () => {
  const decoded = decodeAll(
    '[{"jsonrpc": "2.0", "method": "a", "params": [1], "id": 1}, ' +
      '{"jsonrpc": "2.0", "method": "b"}, {"jsonrpc": "2.0", "method": "c", "params": {"k": 1}}]',
  );
  assert.deepEqual(decoded, [
    { ok: true, method: "a", args: [1] },
    { ok: true, method: "b", args: [] },
    { ok: true, method: "c", args: [{ k: 1 }] },
  ]);
});

Deno.test("decodeFrame() appends to the caller's array and returns how many it appended", () => {
  const into: Decoded[] = [];
  assert.equal(decodeFrame(bytes(encodeRequest("a", [1], 1)), into), 1);
  assert.equal(decodeFrame(bytes("[1, {}]"), into), 2);
  assert.equal(decodeFrame(bytes(encodeRequest("b", [], 2)), into), 1);
  assert.deepEqual(into.map((d) => d.ok ? d.method : d.problem), [
    "a",
    "not-json-rpc",
    "not-json-rpc",
    "b",
  ]);
});

Deno.test("decodeFrame() reads Node Buffers and views into a larger buffer", () => {
  const frame = encodeRequest("produced", ["x"], 1);
  assert.deepEqual(decodeOne(Buffer.from(frame)), { ok: true, method: "produced", args: ["x"] });
  const padded = bytes("garbage" + frame + "garbage");
  assert.deepEqual(decodeOne(padded.subarray(7, 7 + frame.length)), {
    ok: true,
    method: "produced",
    args: ["x"],
  });
});

Deno.test("decodeFrame() reads look-alikes of the frames json.dumps writes as JSON does", () => {
  // frames that start like ours but are not exactly ours: what JSON.parse makes of each
  const P = '{"jsonrpc": "2.0", "method": "x"';
  const cases: [string, unknown[]][] = [
    [P + ', "params": [1], "params": [2]}', [2]],
    [P + ', "params": {"a": 1, "id": 7}}', [{ a: 1, id: 7 }]],
    [P + ', "params": [{"a": 1, "id": 7}]}', [{ a: 1, id: 7 }]],
    [P + ', "id": 5, "params": [1]}', [1]],
    [P + ', "params": [1], "id": 0}', [1]],
    [P + ',  "params":  [1] , "id": 12}', [1]],
    [P + String.raw`, "params": ["a, \"id\": 5"]}`, ['a, "id": 5']],
    [String.raw`{"jsonrpc": "2.0", "method": "a\"b", "params": []}`, []],
    ['{"jsonrpc": "2.0", "method": "", "id": 3}', []],
  ];
  for (const [frame, args] of cases) {
    const decoded = decodeOne(frame);
    assert.ok(decoded.ok, frame);
    assert.deepEqual(decoded.args, args, frame);
  }
  const quoted = decodeOne(String.raw`{"jsonrpc": "2.0", "method": "a\"b"}`);
  assert.equal(quoted.ok && quoted.method, 'a"b');
  for (
    const frame of [
      P + ', "id": 01}',
      P + ', "id": }',
      P + ', "params": [1]}}',
      P + ', "params": [1]}, 5',
      '{"jsonrpc": "2.0", "method": "x\u0001"}', // a raw control character in the method
    ]
  ) {
    assert.equal(failureOf(frame).problem, "not-json", frame);
  }
  assert.equal(failureOf(P + ', "params": null}').problem, "not-json-rpc");
  assert.equal(failureOf(P + ', "params": 3, "id": 1}').problem, "not-json-rpc");
});

// -- Decoding: bad frames --

Deno.test("decodeFrame() reports a frame over the size limit without decoding it", () => {
  const frame = encodeRequest("big", ["x".repeat(100)], 1);
  const failure = failureOf(frame, 64);
  assert.equal(failure.problem, "too-large");
  assert.equal(failure.reason, `frame of ${frame.length} bytes exceeds the limit of 64 bytes`);
  assert.equal(failure.excerpt, frame.slice(0, 80) + "...");
  assert.equal(decodeAll(frame, frame.length)[0].ok, true);
  assert.equal(DEFAULT_MAX_FRAME_BYTES, 16 * 1024 * 1024);
  const huge = new Uint8Array(DEFAULT_MAX_FRAME_BYTES + 1);
  assert.equal(failureOf(huge).problem, "too-large");
});

Deno.test("decodeFrame() reports a frame that is not UTF-8, showing its bytes", () => {
  const cases: [number[], string][] = [
    [[0x7b, 0xff, 0x7d], "{\\xff}"],
    [[0x22, 0xc3, 0x22], '"\\xc3"'], // truncated sequence
    [[0xc0, 0xaf], "\\xc0\\xaf"], // overlong "/"
    [[0xed, 0xa0, 0x80], "\\xed\\xa0\\x80"], // a surrogate encoded as UTF-8
    [[0x0a, 0x00, 0xfe], "\\x0a\\x00\\xfe"],
  ];
  for (const [frame, excerpt] of cases) {
    const failure = failureOf(new Uint8Array(frame));
    assert.deepEqual(failure, {
      ok: false,
      problem: "not-utf8",
      reason: "frame is not valid UTF-8",
      excerpt,
    });
  }
});

Deno.test("decodeFrame() reports a frame that is not JSON, with a printable excerpt", () => {
  for (const frame of ["", "not json", "{", '{"jsonrpc": "2.0"} trailing', "NaN", "[1,]"]) {
    const failure = failureOf(frame);
    assert.equal(failure.problem, "not-json", frame);
    assert.match(failure.reason, /^frame is not JSON: \S/);
    assert.equal(failure.excerpt, frame);
  }
  const failure = failureOf("\x00\x1b[31mgrüße\t\n" + "x".repeat(100));
  assert.equal(
    failure.excerpt,
    "\\u0000\\u001b[31mgr\\u00fc\\u00dfe\\t\\n" + "x".repeat(67) + "...",
  );
  assert.match(failure.reason, /^[\x20-\x7e]+$/);
});

Deno.test("decodeFrame() reports JSON that is not a JSON-RPC 2.0 request, saying why", () => {
  const cases: [string, string][] = [
    ["1", "expected an object, received 1"],
    ['"text"', 'expected an object, received "text"'],
    ["null", "expected an object, received null"],
    ["[]", "empty batch"],
    ['{"method": "a"}', '"jsonrpc" is missing'],
    ['{"jsonrpc": "1.0", "method": "a"}', '"jsonrpc" is not "2.0", received "1.0"'],
    ['{"jsonrpc": 2, "method": "a"}', '"jsonrpc" is not "2.0", received 2'],
    ['{"jsonrpc": "2.0"}', '"method" is missing'],
    ['{"jsonrpc": "2.0", "result": 1, "id": 1}', '"method" is missing'],
    ['{"jsonrpc": "2.0", "method": 42}', '"method" is not a string, received 42'],
    ['{"jsonrpc": "2.0", "method": ["a"]}', '"method" is not a string, received an array'],
    [
      '{"jsonrpc": "2.0", "method": "a", "params": null}',
      '"params" is neither an array nor an object, received null',
    ],
    [
      '{"jsonrpc": "2.0", "method": "a", "params": "x"}',
      '"params" is neither an array nor an object, received "x"',
    ],
    [
      '{"jsonrpc": "2.0", "method": "a", "params": 3}',
      '"params" is neither an array nor an object, received 3',
    ],
  ];
  for (const [frame, reason] of cases) {
    assert.deepEqual(failureOf(frame), {
      ok: false,
      problem: "not-json-rpc",
      reason: "not a JSON-RPC 2.0 request: " + reason,
      excerpt: frame,
    });
  }
  const long = failureOf(`{"jsonrpc": "2.0", "method": "${"m".repeat(100)}", "params": 1}`);
  assert.equal(
    long.reason,
    '"params" is neither an array nor an object, received 1'.replace(
      /^/,
      "not a JSON-RPC 2.0 request: ",
    ),
  );
  assert.equal(long.excerpt.length, 83);
  const longValue = failureOf(`{"jsonrpc": "${"v".repeat(100)}", "method": "a"}`);
  assert.equal(
    longValue.reason,
    `not a JSON-RPC 2.0 request: "jsonrpc" is not "2.0", received "${"v".repeat(39)}...`,
  );
});

Deno.test("decodeFrame() reads the good entries of a batch and reports each bad one", () => {
  const decoded = decodeAll(
    '[{"jsonrpc": "2.0", "method": "a"}, 7, {"jsonrpc": "2.0", "method": "b", "params": [1]}, ' +
      '{"jsonrpc": "1.0", "method": "c"}, {"jsonrpc": "2.0", "method": "d", "params": {}}]',
  );
  assert.deepEqual(decoded, [
    { ok: true, method: "a", args: [] },
    {
      ok: false,
      problem: "not-json-rpc",
      reason: "batch entry 1 is not a JSON-RPC 2.0 request: expected an object, received 7",
      excerpt: "7",
    },
    { ok: true, method: "b", args: [1] },
    {
      ok: false,
      problem: "not-json-rpc",
      reason: 'batch entry 3 is not a JSON-RPC 2.0 request: "jsonrpc" is not "2.0", received "1.0"',
      excerpt: '{"jsonrpc":"1.0","method":"c"}',
    },
    { ok: true, method: "d", args: [{}] },
  ]);
});

Deno.test("decodeFrame() reports a batch entry too deeply nested to show", () => {
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  const decoded = decodeAll(`[${deep}, {"jsonrpc": "2.0", "method": "a"}]`);
  assert.equal(decoded.length, 2);
  assert.equal(decoded[0].ok, false);
  assert.deepEqual(decoded[1], { ok: true, method: "a", args: [] });
});

Deno.test("decodeFrame() never throws, whatever the bytes", () => {
  const seed = seedFromEnv();
  const random = prng(seed);
  const valid = bytes(encodeRequest("produced", ["some product", 1, { a: [true, null] }], 1));
  const into: Decoded[] = [];
  try {
    for (let trial = 0; trial < 3000; trial++) {
      let frame: Uint8Array;
      if (trial % 2 === 0) {
        frame = new Uint8Array(Math.floor(random() * 64));
        for (let i = 0; i < frame.length; i++) frame[i] = Math.floor(random() * 256);
      } else {
        // a valid frame with a few bytes changed, cut or both: mostly near-misses
        frame = valid.slice(0, Math.floor(random() * (valid.length + 1)));
        for (let n = Math.floor(random() * 4); n > 0; n--) {
          frame[Math.floor(random() * frame.length)] = Math.floor(random() * 256);
        }
      }
      into.length = 0;
      const count = decodeFrame(frame, into);
      assert.ok(count >= 1 && count === into.length);
      for (const decoded of into) {
        if (decoded.ok) {
          assert.equal(typeof decoded.method, "string");
          assert.ok(Array.isArray(decoded.args));
        } else {
          assert.match(decoded.reason, /^[\x20-\x7e]+$/);
          assert.match(decoded.excerpt, /^[\x20-\x7e]*$/);
        }
      }
    }
  } catch (error) {
    throw new Error(`decodeFrame() fuzzing failed with seed ${seed} (CODEC_TEST_SEED=${seed})`, {
      cause: error,
    });
  }
});

// -- Round trips --

function randomString(random: () => number): string {
  let text = "";
  for (let n = Math.floor(random() * 12); n > 0; n--) {
    const kind = random();
    if (kind < 0.5) text += String.fromCharCode(0x20 + Math.floor(random() * 95));
    else if (kind < 0.6) text += String.fromCharCode(Math.floor(random() * 0x20));
    else if (kind < 0.75) text += String.fromCharCode(0x7f + Math.floor(random() * 0xd780));
    else if (kind < 0.9) text += String.fromCodePoint(0x10000 + Math.floor(random() * 0x100000));
    else text += String.fromCharCode(0xd800 + Math.floor(random() * 0x800)); // lone surrogate
  }
  return text;
}

function randomValue(random: () => number, depth: number): unknown {
  switch (Math.floor(random() * (depth > 3 ? 4 : 6))) {
    case 0:
      return randomString(random);
    case 1: {
      const kind = random();
      if (kind < 0.4) return Math.floor(random() * 2 ** 32) - 2 ** 31;
      if (kind < 0.8) return (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
      return [
        0,
        1,
        -1,
        2 ** 53,
        -(2 ** 53),
        Number.MIN_VALUE,
        Number.MAX_VALUE,
      ][Math.floor(random() * 7)];
    }
    case 2:
      return random() < 0.5 ? random() < 0.5 : null;
    case 3:
      return randomString(random);
    case 4:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let n = Math.floor(random() * 4); n > 0; n--) {
        Object.defineProperty(object, randomString(random), {
          value: randomValue(random, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
  }
}

Deno.test("Random values survive encodeRequest() then decodeFrame() unchanged", () => {
  const seed = seedFromEnv();
  const random = prng(seed);
  try {
    for (let trial = 0; trial < 2000; trial++) {
      const method = randomString(random);
      const args = Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, 0));
      const frame = encodeRequest(method, args, trial + 1);
      assert.match(frame, /^[\x20-\x7e]+$/, "every frame is printable ASCII");
      assert.ok(frame.startsWith(subscriptionPrefix(method)));
      assert.deepEqual(JSON.parse(frame), {
        jsonrpc: "2.0",
        method,
        ...(args.length === 0 ? {} : { params: args }),
        id: trial + 1,
      });
      assert.deepEqual(decodeOne(frame), { ok: true, method, args });
    }
  } catch (error) {
    throw new Error(`round trip failed with seed ${seed} (CODEC_TEST_SEED=${seed})`, {
      cause: error,
    });
  }
});
