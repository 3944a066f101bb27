// Explorable figures: one native range control per parameter under the figure (keyboard,
// screen readers and touch all work, unlike Plotly's SVG sliders, which the figure still
// carries for other renderers). Generic for every explorable: the controls' positions name
// the frame to show ("3" for one parameter, "3-1" for two), as the server named them.
import { h } from "./dom.js";
import { richText } from "./math.js";
import { gettext } from "./i18n.js";

// Every string this module shows (issue 20 translates them here).
const TEXT = {
  controls: gettext("Move the sliders to change the figure"),
  play: gettext("Play"),
  pause: gettext("Pause"),
};

const STILL = { mode: "immediate", frame: { duration: 0, redraw: true }, transition: { duration: 0 } };
let counter = 0;

export function frameName(indices) {
  return indices.join("-");
}

// The figure's layout for the page: Plotly's own sliders and play button give way to the
// native controls, and the room the server kept for them below the plot is given back.
export function pageLayout(figure) {
  const layout = { ...(figure.layout || {}) };
  const meta = figure.explorable;
  if (!meta) return layout;
  delete layout.sliders;
  delete layout.updatemenus;
  const room = Number(meta.controls_px) || 0;
  layout.margin = { ...(layout.margin || {}) };
  if (layout.margin.b) layout.margin.b = Math.max(45, layout.margin.b - room);
  if (layout.height) layout.height = Math.max(240, layout.height - room);
  return layout;
}

// Adds the controls for `figure` (already drawn in `plot` with its frames) after the plot.
export function mountExplorable(container, plot, figure, Plotly) {
  const meta = figure.explorable;
  if (!meta || !Array.isArray(meta.params) || !meta.params.length) return null;
  const id = `explorable-${(counter += 1)}`;
  const indices = meta.params.map((param) => Number(param.initial) || 0);
  const inputs = [];

  const show = () => Plotly.animate(plot, [frameName(indices)], STILL);

  const controls = h("div", { class: "explorable-controls", role: "group", "aria-label": TEXT.controls });
  meta.params.forEach((param, k) => {
    const inputId = `${id}-${param.name}`;
    const output = h("output", { for: inputId, class: "explorable-value", text: param.values[indices[k]] });
    const input = h("input", {
      type: "range",
      id: inputId,
      min: 0,
      max: param.values.length - 1,
      step: 1,
      value: indices[k],
      "aria-valuetext": param.values[indices[k]],
      "data-param": param.name,
    });
    input.addEventListener("input", () => {
      indices[k] = Number(input.value);
      output.textContent = param.values[indices[k]];
      input.setAttribute("aria-valuetext", param.values[indices[k]]);
      show();
    });
    inputs.push(input);
    controls.append(
      h("div", { class: "explorable-param" }, h("label", { for: inputId }, richText(param.label)), input, output),
    );
  });

  if (meta.animate && inputs.length === 1) {
    const input = inputs[0];
    let timer = null;
    const button = h("button", { type: "button", class: "button secondary explorable-play", "aria-pressed": "false", text: TEXT.play });
    const stop = () => {
      clearInterval(timer);
      timer = null;
      button.textContent = TEXT.play;
      button.setAttribute("aria-pressed", "false");
    };
    button.addEventListener("click", () => {
      if (timer) return stop();
      if (Number(input.value) >= Number(input.max)) input.value = "0";
      button.textContent = TEXT.pause;
      button.setAttribute("aria-pressed", "true");
      const step = () => {
        input.dispatchEvent(new Event("input"));
        if (Number(input.value) >= Number(input.max)) return stop();
        input.value = String(Number(input.value) + 1);
        return null;
      };
      step();
      timer = setInterval(step, Math.max(40, Number(meta.frame_ms) || 120));
      return null;
    });
    controls.prepend(button);
  }
  container.append(controls);
  container.dataset.explorable = "";
  return controls;
}
