// S3's configuration XML <-> the JSON the AWS CLI and SDKs use for it (lists named in the plural:
// "Rules": [...] for repeated <Rule> elements), so configurations can be edited as JSON.
import { xmlEscape } from "./s3_common.js";

// The shapes the console edits as JSON. lists: JSON name -> repeated XML element (flat);
// wrapped: JSON name -> the element repeated inside a wrapper element of the JSON name;
// numbers and booleans: which leaves are not strings.
export const SHAPES = {
  lifecycle: {
    root: "LifecycleConfiguration",
    lists: { Rules: "Rule", Transitions: "Transition", NoncurrentVersionTransitions: "NoncurrentVersionTransition", Tags: "Tag" },
    wrapped: {},
    // Filter.Tag is one tag; only Filter.And holds a list of them.
    onlyIn: { Tag: "And" },
    numbers: ["Days", "NoncurrentDays", "NewerNoncurrentVersions", "DaysAfterInitiation", "ObjectSizeGreaterThan", "ObjectSizeLessThan"],
    booleans: ["ExpiredObjectDeleteMarker"],
  },
  cors: {
    root: "CORSConfiguration",
    lists: { CORSRules: "CORSRule", AllowedHeaders: "AllowedHeader", AllowedMethods: "AllowedMethod", AllowedOrigins: "AllowedOrigin", ExposeHeaders: "ExposeHeader" },
    wrapped: {},
    numbers: ["MaxAgeSeconds"],
    booleans: [],
  },
};

function emit(name, value, shape) {
  if (Array.isArray(value)) {
    if (shape.lists[name]) return value.map((v) => emit(shape.lists[name], v, shape)).join("");
    if (shape.wrapped[name]) return `<${name}>${value.map((v) => emit(shape.wrapped[name], v, shape)).join("")}</${name}>`;
    throw new Error(`"${name}" cannot be a list`);
  }
  if (value !== null && typeof value === "object") {
    return `<${name}>${Object.entries(value).map(([k, v]) => emit(k, v, shape)).join("")}</${name}>`;
  }
  if (value === null || value === undefined) return "";
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

// JSON object (the root's content) -> XML document text.
export function jsonToXml(obj, shape) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw new Error(`the configuration must be a JSON object`);
  const inner = Object.entries(obj).map(([k, v]) => emit(k, v, shape)).join("");
  return `<${shape.root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</${shape.root}>`;
}

// An XML element -> its JSON content.
export function xmlToJson(el, shape) {
  const listOf = Object.fromEntries(Object.entries(shape.lists).map(([k, v]) => [v, k]));
  const out = {};
  for (const c of el.children) {
    const name = c.localName;
    let value;
    if (shape.wrapped[name]) value = Array.from(c.children, (x) => leafOrObject(x, shape));
    else value = leafOrObject(c, shape);
    const scope = shape.onlyIn?.[name];
    if (listOf[name] && (!scope || scope === el.localName)) (out[listOf[name]] ||= []).push(value);
    else out[name] = value;
  }
  return out;
}

function leafOrObject(el, shape) {
  if (el.children.length > 0) return xmlToJson(el, shape);
  const text = el.textContent;
  if (shape.numbers.includes(el.localName) && /^-?\d+$/.test(text)) return Number(text);
  if (shape.booleans.includes(el.localName) && (text === "true" || text === "false")) return text === "true";
  return text;
}

// JSON.parse with the position of a syntax error turned into a line and column.
export function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(e.message);
    let where = "";
    if (m) {
      const before = text.slice(0, Number(m[1])).split("\n");
      where = ` (line ${before.length}, column ${before[before.length - 1].length + 1})`;
    }
    throw new Error(`${what} is not valid JSON${where}: ${e.message}`);
  }
}
