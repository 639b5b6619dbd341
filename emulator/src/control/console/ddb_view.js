// How DynamoDB values show in tables: one unbroken line per value (long numbers and ids never
// wrap mid-value; the full value is on the title), lists and maps as a collapsible, indented view.
import { h } from "./dom.js";
import { displayText, stringifyExact, toPlain } from "./ddb_json.js";

export function valueCell(av) {
  if (!av) return h("td", { class: "value" });
  const [t, x] = Object.entries(av)[0];
  if (t === "L" || t === "M") {
    const n = t === "L" ? x.length : Object.keys(x).length;
    const summary = t === "L" ? `[${n} item${n === 1 ? "" : "s"}]` : `{${n} attribute${n === 1 ? "" : "s"}}`;
    return h("td", { class: "value nested" }, h("details", {},
      h("summary", { title: displayText(av) }, summary),
      h("pre", { class: "nested-value" }, stringifyExact(toPlain(av)))));
  }
  const text = displayText(av);
  return h("td", { class: `value type-${t}`, title: text }, h("span", { class: "v" }, text));
}

// A key or item as one line of plain JSON (stream records, log details).
export function itemText(item, indent = 0) {
  if (!item) return "";
  const o = {};
  for (const [k, v] of Object.entries(item)) Object.defineProperty(o, k, { value: toPlain(v), enumerable: true });
  return stringifyExact(o, indent);
}
