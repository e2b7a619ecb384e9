// The one DOM builder of the site's front end (cells and lab alike).

/**
 * Creates an element: `el("button", {class: "x", text: "Run", onclick: f}, child, ...)`.
 * Attributes that are false, null or undefined are skipped; `true` sets an empty attribute;
 * `class` sets className, `text` the text content, `style` an inline style string, and
 * `on<event>` adds a listener. Children are nodes or strings, or arrays of them (flattened);
 * null, undefined and false children are skipped.
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {...any} children
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child);
  }
}

/**
 * An inline SVG icon (24x24 view box) from one path, hidden from screen readers.
 * @param {string} pathData  the `d` attribute
 * @param {string} [className]
 * @returns {SVGSVGElement}
 */
export function svgIcon(pathData, className) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  if (className) svg.setAttribute("class", className);
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", pathData);
  svg.append(path);
  return svg;
}

/**
 * Marks a button available or not with aria-disabled (not `disabled`: a focused button keeps
 * the keyboard focus while it is unavailable).
 * @param {HTMLElement} button
 * @param {boolean} on
 */
export function enable(button, on) {
  button.setAttribute("aria-disabled", on ? "false" : "true");
}
