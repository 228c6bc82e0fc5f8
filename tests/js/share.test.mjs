import { test } from "node:test";
import assert from "node:assert/strict";
import { checkCircuit, fileName, readCircuitFile, circuitFile } from "../../static/js/state/files.js";
import { decodeHash, encodeHash, HASH_PREFIX } from "../../static/js/state/hashlink.js";
import { forget, MINE_KEY, readMine, remember } from "../../static/js/state/mine.js";
import { saveCircuit, whyNotSaved } from "../../static/js/state/share.js";
import { apply } from "../../static/js/state/commands.js";
import { fromCircuit } from "../../static/js/state/circuit.js";
import { createApi } from "../../static/js/state/api.js";
import { Store } from "../../static/js/state/store.js";

const NOTES = {
  version: 1,
  title: "The notes' (x + y) z",
  nodes: [
    { id: "x", op: "input", value: -2, ui: { x: 10, y: 20 } },
    { id: "y", op: "input", value: 5 },
    { id: "z", op: "input", value: -4 },
    { id: "q", op: "add", inputs: ["x", "y"], label: "<b>q</b>" },
    { id: "f", op: "mul", inputs: ["q", "z"] },
  ],
  output: "f",
};

/** A Storage stand-in; `full` makes every write throw as a full quota does. */
function shelf(initial = {}, full = false) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => {
      if (full) throw new Error("QuotaExceededError");
      items.set(key, String(value));
    },
  };
}

test("a circuit file holds the contract's JSON with its version, title and positions", () => {
  const text = circuitFile(fromCircuit(NOTES));
  assert.deepEqual(JSON.parse(text), NOTES);
  assert.deepEqual(readCircuitFile(text, "a.json"), { ok: true, circuit: NOTES });
});

test("a bad file is refused with what is wrong and where", () => {
  const cases = [
    ["{", /^bad\.json is not JSON: /],
    ["[1]", /the file holds no JSON object/],
    ['{"nodes": []}', /"nodes" must be a non-empty list/],
    ['{"version": 2, "nodes": [{"id": "x", "op": "input"}]}', /"version" is 2; this app reads version 1/],
    ['{"nodes": [{"id": "x", "op": "input"}, {"op": "add"}]}', /nodes\[1\]\.id must be non-empty text/],
    ['{"nodes": [{"id": "x", "op": "input"}, {"id": "x", "op": "neg"}]}', /nodes\[1\]: the id "x" is used twice/],
    ['{"nodes": [{"id": "f", "op": "neg", "inputs": [3]}]}', /nodes\[0\]\.inputs must be a list of node ids \(node "f"\)/],
    ['{"nodes": [{"id": "x", "op": "input", "value": "2"}]}', /nodes\[0\]\.value must be a number/],
    ['{"nodes": [{"id": "x", "op": "input", "value": []}]}', /nodes\[0\]\.value must be a number/],
    ['{"nodes": [{"id": "p", "op": "pow", "params": {"p": "2"}}]}', /nodes\[0\]\.params must map names to numbers/],
    ['{"nodes": [{"id": "x", "op": "input", "label": 7}]}', /nodes\[0\]\.label must be text/],
    ['{"nodes": [{"id": "x", "op": "input", "ui": 3}]}', /nodes\[0\]\.ui must be an object/],
    ['{"nodes": [{"id": "x", "op": "input"}], "output": "f"}', /"output" names "f", which is not a node/],
    ['{"nodes": [{"id": "x", "op": "input"}], "title": 5}', /"title" must be text/],
  ];
  for (const [text, says] of cases) {
    const read = readCircuitFile(text, "bad.json");
    assert.equal(read.ok, false, text);
    assert.match(read.msg, says, text);
  }
  assert.equal(checkCircuit({ nodes: [{ id: "x", op: "input", value: [[1, 2], [3, 4]] }] }), null);
});

test("a file name keeps the title and replaces what file systems refuse", () => {
  assert.equal(fileName("lecture 4"), "lecture 4.json");
  assert.equal(fileName("lecture 4", "svg"), "lecture 4.svg");
  assert.equal(fileName("f = (x + y) * z"), "f = (x + y) _ z.json");
  assert.equal(fileName('a/b\\c:d"e<f>g|h?'), "a_b_c_d_e_f_g_h_.json");
  assert.equal(fileName("..."), "circuit.json");
  assert.equal(fileName("   "), "circuit.json");
  assert.equal(fileName("x".repeat(300)).length, 105);
});

test("a small circuit goes into the hash and comes back identical", async () => {
  const hash = await encodeHash(NOTES);
  assert.ok(hash.startsWith(HASH_PREFIX));
  assert.match(hash.slice(HASH_PREFIX.length), /^[\w-]+$/); // base64url: nothing a URL must escape
  assert.ok(hash.length < JSON.stringify(NOTES).length); // compressed
  assert.deepEqual(await decodeHash(hash), { ok: true, circuit: NOTES });
});

test("a circuit too large for the hash gets no hash link", async () => {
  const nodes = Array.from({ length: 500 }, (_, i) => ({ id: `x${i}`, op: "input", value: Math.sin(i) * 1000 }));
  assert.equal(await encodeHash({ nodes }), null);
});

test("a hash that is not ours opens nothing; a damaged one says so", async () => {
  assert.equal(await decodeHash(""), null);
  assert.equal(await decodeHash("#section"), null);
  const cut = await decodeHash(`${HASH_PREFIX}AAAA!!`);
  assert.equal(cut.ok, false);
  assert.match(cut.msg, /cannot be read/);
  const notCircuit = await decodeHash(await encodeHash({ nodes: [] }));
  assert.match(notCircuit.msg, /"nodes" must be a non-empty list/);
});

test("My circuits: newest first, one entry per id, removed on request", () => {
  const storage = shelf();
  assert.deepEqual(readMine(storage), []);
  remember(storage, { id: "a1", title: "first", created: "2026-11-27T10:00:00Z" });
  remember(storage, { id: "b2", title: "second", created: "2026-11-27T11:00:00Z" });
  remember(storage, { id: "a1", title: "first again", created: "2026-11-27T12:00:00Z" });
  assert.deepEqual(readMine(storage).map((e) => [e.id, e.title]), [["a1", "first again"], ["b2", "second"]]);
  forget(storage, "a1");
  assert.deepEqual(readMine(storage).map((e) => e.id), ["b2"]);
});

test("My circuits: corrupt or foreign storage reads as an empty list, bad entries are dropped", () => {
  assert.deepEqual(readMine(shelf({ [MINE_KEY]: "{not json" })), []);
  assert.deepEqual(readMine(shelf({ [MINE_KEY]: '{"id": "a"}' })), []);
  const mixed = [{ id: "ok", title: "t", created: "c" }, { id: "../x", title: "t", created: "c" }, { id: 5 }, null, "s"];
  assert.deepEqual(readMine(shelf({ [MINE_KEY]: JSON.stringify(mixed) })), [{ id: "ok", title: "t", created: "c" }]);
  assert.equal(remember(shelf({}, true), { id: "a", title: "t", created: "c" }), false);
});

test("a refused save says why, and how long to wait when the server says", () => {
  const answer = (status, msg, retryAfter) => ({ ok: false, status, errors: [{ msg }], ...(retryAfter === undefined ? {} : { retryAfter }) });
  assert.equal(whyNotSaved(answer(429, "too many", 42)), "Not saved: too many saves from this browser in a short time. Try again in 42 s.");
  assert.equal(whyNotSaved(answer(503, "The database is not answering", 5)), "Not saved: the database is not answering (The database is not answering). Try again in 5 s.");
  assert.match(whyNotSaved(answer(413, "the circuit has 60000 nodes; the limit is 50000")), /too large to store \(the circuit has 60000 nodes/);
  assert.match(whyNotSaved(answer(0, "Cannot reach the server (TypeError).")), /^Not saved: Cannot reach the server/);
});

test("saving an edited saved circuit sends its parent and makes the save the open circuit's source", async () => {
  /** @type {any[]} */
  const sent = [];
  const fetchImpl = async (url, init) => {
    sent.push(JSON.parse(init.body));
    return new Response(JSON.stringify({ id: "NEW-id_123", url: "/c/NEW-id_123" }), { status: 201 });
  };
  const store = new Store();
  store.dispatch({ type: "open", circuit: NOTES, source: { kind: "saved", id: "OLD-id_000" } });
  store.dispatch({ type: "set_output", node: "q" }); // an edit: the circuit is now a fork of OLD
  assert.deepEqual(store.state.model.source, { kind: "circuit", parent: "OLD-id_000" });
  const storage = shelf();
  const saved = await saveCircuit(store, createApi(fetchImpl), storage, "forked");
  assert.deepEqual(saved, { ok: true, id: "NEW-id_123", url: "/c/NEW-id_123", listed: true });
  assert.equal(sent[0].parent, "OLD-id_000");
  assert.equal(sent[0].title, "forked");
  assert.deepEqual(sent[0].circuit, { ...NOTES, title: "forked", output: "q" });
  assert.deepEqual(store.state.model.source, { kind: "saved", id: "NEW-id_123" });
  assert.equal(store.state.model.title, "forked");
  assert.deepEqual(readMine(storage).map((e) => [e.id, e.title]), [["NEW-id_123", "forked"]]);
});

test("a 429 carries its Retry-After to the message", async () => {
  const fetchImpl = async () => new Response(JSON.stringify({ detail: [{ msg: "Too many saves", type: "rate_limited" }] }), { status: 429, headers: { "Retry-After": "17" } });
  const store = new Store();
  store.dispatch({ type: "open", circuit: NOTES, source: { kind: "circuit" } });
  const saved = await saveCircuit(store, createApi(fetchImpl), shelf(), "");
  assert.deepEqual(saved, { ok: false, msg: "Not saved: too many saves from this browser in a short time. Try again in 17 s." });
  assert.deepEqual(store.state.model.source, { kind: "circuit" });
});

test("set_title renames and its inverse brings the old title back", () => {
  const model = fromCircuit(NOTES);
  const renamed = apply(model, { type: "set_title", title: "new" });
  assert.equal(renamed.model.title, "new");
  assert.deepEqual(renamed.inverse, { type: "set_title", title: "The notes' (x + y) z" });
  const cleared = apply(model, { type: "set_title", title: null });
  assert.equal("title" in cleared.model, false);
});
