// DynamoDB values in the console's three shapes: DynamoDB JSON ({"N": "4.5"}), plain JSON
// ({"Rating": 4.5}) and display text. Numbers never go through a JS Number: the JSON parser here
// keeps every number as its exact text (a Num), so 20-digit ids and 38-digit decimals survive.

// A number as written in JSON text.
export class Num {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}

export const TYPES = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];
export const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

// Sets a property even when it is named "__proto__" (attribute names are user data).
export function put(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  return obj;
}

// JSON.parse, except that numbers come back as Num. Throws an Error naming the position.
export function parseExact(text) {
  let i = 0;
  const fail = (what) => {
    const line = text.slice(0, i).split("\n").length;
    throw new Error(`${what} at line ${line}, column ${i - text.lastIndexOf("\n", i - 1)}`);
  };
  const ws = () => { while (i < text.length && " \t\r\n".includes(text[i])) i += 1; };
  const expect = (word, value) => {
    if (text.startsWith(word, i)) { i += word.length; return value; }
    return fail(`Unexpected ${text[i] ? `"${text[i]}"` : "end of text"}`);
  };
  const string = () => {
    i += 1; // the opening quote
    let out = "";
    for (;;) {
      const c = text[i];
      if (c === undefined) fail("Unterminated string");
      if (c === '"') { i += 1; return out; }
      if (c === "\\") {
        const e = text[i + 1];
        const simple = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e in simple) { out += simple[e]; i += 2; continue; }
        if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        fail("Bad escape in a string");
      }
      if (c < " ") fail("Control character in a string");
      out += c;
      i += 1;
    }
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === "{") {
      i += 1;
      const obj = {};
      ws();
      if (text[i] === "}") { i += 1; return obj; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("Expected a property name");
        const k = string();
        ws();
        if (text[i] !== ":") fail('Expected ":"');
        i += 1;
        if (Object.prototype.hasOwnProperty.call(obj, k)) fail(`Duplicate name "${k}"`);
        put(obj, k, value());
        ws();
        if (text[i] === ",") { i += 1; continue; }
        if (text[i] === "}") { i += 1; return obj; }
        fail('Expected "," or "}"');
      }
    }
    if (c === "[") {
      i += 1;
      const arr = [];
      ws();
      if (text[i] === "]") { i += 1; return arr; }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ",") { i += 1; continue; }
        if (text[i] === "]") { i += 1; return arr; }
        fail('Expected "," or "]"');
      }
    }
    if (c === '"') return string();
    if (c === "t") return expect("true", true);
    if (c === "f") return expect("false", false);
    if (c === "n") return expect("null", null);
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m) { i += m[0].length; return new Num(m[0]); }
    return fail(`Unexpected ${c === undefined ? "end of text" : `"${c}"`}`);
  };
  const v = value();
  ws();
  if (i < text.length) fail("Unexpected text after the JSON value");
  return v;
}

// JSON text of a value that may hold Nums (written as their exact text).
export function stringifyExact(v, indent = 2, depth = 0) {
  const pad = indent ? "\n" + " ".repeat(indent * (depth + 1)) : "";
  const end = indent ? "\n" + " ".repeat(indent * depth) : "";
  const sep = indent ? ": " : ":";
  if (v instanceof Num) return v.text;
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return "[" + v.map((e) => pad + stringifyExact(e, indent, depth + 1)).join(",") + end + "]";
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return "{}";
  return "{" + entries.map(([k, e]) => pad + JSON.stringify(k) + sep + stringifyExact(e, indent, depth + 1)).join(",") + end + "}";
}

const isObject = (x) => x !== null && typeof x === "object" && !Array.isArray(x) && !(x instanceof Num);

// Checks one AttributeValue; N given as a JSON number (Num) becomes its exact text. Returns the value.
export function checkValue(path, v) {
  if (!isObject(v) || Object.keys(v).length !== 1) {
    throw new Error(`${path}: a value must be an object with exactly one type, e.g. {"S": "text"}.`);
  }
  const [t, x] = Object.entries(v)[0];
  if (!TYPES.includes(t)) throw new Error(`${path}: unknown type "${t}" (one of ${TYPES.join(", ")}).`);
  if (t === "N" && x instanceof Num) return { N: x.text };
  if ((t === "S" || t === "N" || t === "B") && typeof x !== "string") throw new Error(`${path}: ${t} takes a string.`);
  if (t === "N" && !NUMBER_RE.test(x.trim())) throw new Error(`${path}: "${x}" is not a number.`);
  if (t === "B" && !BASE64_RE.test(x.replace(/\s+/g, ""))) throw new Error(`${path}: B takes base64 text.`);
  if (t === "BOOL" && typeof x !== "boolean") throw new Error(`${path}: BOOL takes true or false.`);
  if (t === "NULL" && x !== true) throw new Error(`${path}: NULL takes true.`);
  if (["SS", "NS", "BS"].includes(t)) {
    if (!Array.isArray(x) || x.length === 0) throw new Error(`${path}: ${t} takes a non-empty array of strings.`);
    const list = x.map((e) => (t === "NS" && e instanceof Num ? e.text : e));
    if (list.some((e) => typeof e !== "string")) throw new Error(`${path}: ${t} takes a non-empty array of strings.`);
    if (t === "NS") for (const e of list) if (!NUMBER_RE.test(e.trim())) throw new Error(`${path}: "${e}" is not a number.`);
    return { [t]: list };
  }
  if (t === "L") {
    if (!Array.isArray(x)) throw new Error(`${path}: L takes an array of values.`);
    return { L: x.map((e, i) => checkValue(`${path}[${i}]`, e)) };
  }
  if (t === "M") {
    if (!isObject(x)) throw new Error(`${path}: M takes an object of attributes.`);
    const m = {};
    for (const [k, e] of Object.entries(x)) put(m, k, checkValue(`${path}.${k}`, e));
    return { M: m };
  }
  return v;
}

// Checks an item (attribute name -> AttributeValue) and its key attributes; returns the item.
export function checkItem(item, keySchema, attrTypes) {
  if (!isObject(item)) throw new Error("The item must be a JSON object of attributes.");
  const out = {};
  for (const [k, v] of Object.entries(item)) put(out, k, checkValue(k, v));
  for (const ks of keySchema) {
    const v = out[ks.AttributeName];
    const want = attrTypes[ks.AttributeName];
    if (!Object.prototype.hasOwnProperty.call(out, ks.AttributeName)) throw new Error(`The item needs its key attribute "${ks.AttributeName}".`);
    if (want && !(want in v)) throw new Error(`The key attribute "${ks.AttributeName}" must have type ${want}.`);
  }
  return out;
}

// Text in DynamoDB JSON -> a checked item.
export function parseItem(text, keySchema, attrTypes) {
  let item;
  try {
    item = parseExact(text);
  } catch (e) {
    throw new Error(`The item is not valid JSON: ${e.message}`);
  }
  return checkItem(item, keySchema, attrTypes);
}

// AttributeValue -> plain value (Num for numbers). hints[path] remembers what plain JSON cannot
// say (B, SS, NS, BS), so converting back restores the type.
export function toPlain(av, path = "", hints = {}) {
  const [t, x] = Object.entries(av)[0];
  switch (t) {
    case "S": return x;
    case "N": return new Num(x);
    case "BOOL": return x;
    case "NULL": return null;
    case "B": hints[path] = "B"; return x;
    case "SS": case "BS": hints[path] = t; return [...x];
    case "NS": hints[path] = "NS"; return x.map((n) => new Num(n));
    case "L": return x.map((e, i) => toPlain(e, `${path}[${i}]`, hints));
    case "M": {
      const o = {};
      for (const [k, e] of Object.entries(x)) put(o, k, toPlain(e, `${path}.${k}`, hints));
      return o;
    }
    default: throw new Error(`unknown type ${t}`);
  }
}

// Plain value -> AttributeValue, the reverse of toPlain.
export function fromPlain(v, path = "", hints = {}) {
  const hint = hints[path];
  if (v instanceof Num) return { N: v.text };
  if (typeof v === "number") return { N: String(v) };
  if (typeof v === "string") return hint === "B" ? { B: v } : { S: v };
  if (typeof v === "boolean") return { BOOL: v };
  if (v === null) return { NULL: true };
  if (Array.isArray(v)) {
    if (v.length > 0 && (hint === "SS" || hint === "BS") && v.every((e) => typeof e === "string")) return { [hint]: [...v] };
    if (v.length > 0 && hint === "NS" && v.every((e) => e instanceof Num)) return { NS: v.map((e) => e.text) };
    return { L: v.map((e, i) => fromPlain(e, `${path}[${i}]`, hints)) };
  }
  const m = {};
  for (const [k, e] of Object.entries(v)) put(m, k, fromPlain(e, `${path}.${k}`, hints));
  return { M: m };
}

export function itemToPlain(item, hints) {
  const o = {};
  for (const [k, v] of Object.entries(item)) put(o, k, toPlain(v, k, hints));
  return o;
}

export function plainToItem(obj, hints) {
  if (!isObject(obj)) throw new Error("The item must be a JSON object of attributes.");
  const item = {};
  for (const [k, v] of Object.entries(obj)) put(item, k, fromPlain(v, k, hints));
  return item;
}

// One line of text for a value: strings and numbers as they are, the rest as compact plain JSON.
export function displayText(av) {
  if (!av) return "";
  const [t, x] = Object.entries(av)[0];
  if (t === "S" || t === "N" || t === "B") return x;
  if (t === "BOOL") return String(x);
  if (t === "NULL") return "null";
  return stringifyExact(toPlain(av), 0);
}

export function keyOf(item, keySchema) {
  const k = {};
  for (const ks of keySchema) put(k, ks.AttributeName, item[ks.AttributeName]);
  return k;
}
