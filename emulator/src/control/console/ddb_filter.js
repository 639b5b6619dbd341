// The filter expression builder shared by Scan and Query: rows of attribute, operator and value
// that become a FilterExpression with #names and :values (attribute names are never spliced into
// the expression, so any name works).
import { h } from "./dom.js";
import { NUMBER_RE } from "./ddb_json.js";

const OPS = [
  ["=", "="], ["<>", "≠ (<>)"], ["<", "<"], ["<=", "<="], [">", ">"], [">=", ">="], ["between", "between"],
  ["begins_with", "begins with"], ["contains", "contains"], ["not_contains", "does not contain"],
  ["attribute_exists", "exists"], ["attribute_not_exists", "does not exist"],
];
const NO_VALUE = ["attribute_exists", "attribute_not_exists"];

// A typed value for the expression: N kept as its text, BOOL from "true"/"false".
export function typedValue(type, text, what) {
  if (type === "N") {
    if (!NUMBER_RE.test(text.trim())) throw new Error(`${what}: "${text}" is not a number.`);
    return { N: text.trim() };
  }
  if (type === "BOOL") {
    if (!/^(true|false)$/.test(text.trim())) throw new Error(`${what}: a boolean is true or false.`);
    return { BOOL: text.trim() === "true" };
  }
  if (type === "B") return { B: text.trim() };
  return { S: text };
}

export function filterBuilder() {
  const rows = [];
  const list = h("div", { class: "filter-rows" });
  const join = h("select", { "aria-label": "Combine conditions" },
    h("option", { value: "AND" }, "all conditions (AND)"), h("option", { value: "OR" }, "any condition (OR)"));
  const joinField = h("label", { class: "inline", hidden: true }, "Match ", join);
  const relabel = () => {
    rows.forEach((r, i) => r.label(i + 1));
    joinField.hidden = rows.length < 2;
  };
  const addRow = () => {
    const name = h("input", { type: "text", spellcheck: "false", autocomplete: "off", placeholder: "attribute" });
    const op = h("select", {}, OPS.map(([v, l]) => h("option", { value: v }, l)));
    const type = h("select", {}, h("option", { value: "S" }, "String"), h("option", { value: "N" }, "Number"),
      h("option", { value: "BOOL" }, "Boolean"), h("option", { value: "B" }, "Binary (base64)"));
    const value = h("input", { type: "text", spellcheck: "false", autocomplete: "off", placeholder: "value" });
    const value2 = h("input", { type: "text", spellcheck: "false", autocomplete: "off", hidden: true, placeholder: "and value" });
    const remove = h("button", { type: "button" }, "Remove");
    const el = h("div", { class: "filter-row", role: "group" }, name, op, type, value, value2, remove);
    const sync = () => {
      value.hidden = NO_VALUE.includes(op.value);
      type.hidden = value.hidden;
      value2.hidden = op.value !== "between";
    };
    op.addEventListener("change", sync);
    const row = {
      name, op, type, value, value2,
      label(i) {
        el.setAttribute("aria-label", `Filter condition ${i}`);
        name.setAttribute("aria-label", `Filter ${i} attribute`);
        op.setAttribute("aria-label", `Filter ${i} operator`);
        type.setAttribute("aria-label", `Filter ${i} value type`);
        value.setAttribute("aria-label", `Filter ${i} value`);
        value2.setAttribute("aria-label", `Filter ${i} second value`);
        remove.setAttribute("aria-label", `Remove filter ${i}`);
      },
    };
    remove.addEventListener("click", () => {
      rows.splice(rows.indexOf(row), 1);
      el.remove();
      relabel();
      add.focus();
    });
    rows.push(row);
    list.append(el);
    relabel();
    sync();
    return row;
  };
  const add = h("button", { type: "button", onclick: () => addRow().name.focus() }, "Add filter condition");
  const el = h("fieldset", { class: "filter" }, h("legend", {}, "Filter (optional)"), list, h("div", { class: "toolbar" }, add, joinField));

  // Adds the rows' names and values to the request's maps; returns the FilterExpression or "".
  const build = (names, values) => {
    const parts = [];
    rows.forEach((r, i) => {
      const attr = r.name.value;
      if (!attr) throw new Error(`Filter ${i + 1}: name the attribute.`);
      const n = `#f${i}`;
      const v = `:f${i}`;
      names[n] = attr;
      const opv = r.op.value;
      if (NO_VALUE.includes(opv)) {
        parts.push(`${opv}(${n})`);
        return;
      }
      values[v] = typedValue(r.type.value, r.value.value, `Filter ${i + 1}`);
      if (opv === "between") {
        values[`${v}b`] = typedValue(r.type.value, r.value2.value, `Filter ${i + 1}`);
        parts.push(`${n} BETWEEN ${v} AND ${v}b`);
      } else if (opv === "begins_with" || opv === "contains") parts.push(`${opv}(${n}, ${v})`);
      else if (opv === "not_contains") parts.push(`NOT contains(${n}, ${v})`);
      else parts.push(`${n} ${opv} ${v}`);
    });
    if (parts.length > 1) return parts.map((p) => `(${p})`).join(` ${join.value} `);
    return parts[0] || "";
  };
  return { el, build, addRow, get count() { return rows.length; } };
}
