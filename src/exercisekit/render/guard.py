"""Keep a live exercise's keys to itself in JupyterLab, and name each of its controls.

Why a custom widget (anywidget) when everything else is stock ipywidgets:
- JupyterLab's command-mode shortcuts (`a`, `b`, `m`, `d d`, `x`, `Enter`, arrows…) are bound to
  `.jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus` and run from a keydown listener
  on the document (Lumino, bubbling phase). A focused radio, checkbox, dropdown or button inside
  an output is such a `:focus`, so ArrowDown left the widget and `d d` deleted the exercise's cell.
  JupyterLab's own ways out are a DOM attribute (`data-lm-suppress-shortcuts`) or an editable
  element (text fields, which ipywidgets already stop). Stock ipywidgets can set neither an
  attribute nor an event listener on their DOM (only CSS classes, which no selector above can
  use), hence this small front-end piece.
- It stops the *unmodified* keys (letters, arrows, Enter, Space…) at the exercise's box, so the
  browser's own behaviour applies (arrows move within a radio group or a dropdown) and nothing
  reaches the notebook; Ctrl/Alt/Cmd shortcuts, Shift+Enter (run the cell) and Escape still do.
  The attribute would have silenced those too (save, run), so it is not used.
- Stock ipywidgets cannot give a dropdown, a radio group or a text area an accessible name
  without showing a second copy of the question as `description` (cut off at the notebook's
  width); the guard sets `aria-label` (and `role="radiogroup"` on radio groups) on the controls
  the Python side marked with a class, and again whenever the box redraws. It also gives the
  radios of a group a common `name`, which ipywidgets omits, so that they are one group to the
  browser and its keyboard rules (Tab once into the group, arrows to choose).

The guard is a hidden child of the exercise's box; it acts on its parent element. Voilà and
Colab have no command shortcuts: there it only names the controls.
"""

from __future__ import annotations

import itertools

import anywidget
import ipywidgets as widgets
import traitlets

_ESM = r"""
function passes(event) {
  // Shortcuts with a modifier, Shift+Enter (run the cell) and Escape stay the notebook's.
  return event.ctrlKey || event.metaKey || event.altKey || event.key === "Escape"
    || (event.shiftKey && event.key === "Enter");
}

function name(box, names, view) {
  for (const [cls, label] of Object.entries(names)) {
    for (const node of box.getElementsByClassName(cls)) {
      if (node.tagName === "IMG") {  // an image widget: its text alternative
        if (node.alt !== label) node.alt = label;
        continue;
      }
      const field = node.matches("select, textarea") ? node : node.querySelector("select, textarea");
      const radios = node.querySelector(".widget-radio-box");
      const target = field || radios || node;
      if (target.getAttribute("aria-label") !== label) target.setAttribute("aria-label", label);
      if (radios) {
        if (radios.getAttribute("role") !== "radiogroup") radios.setAttribute("role", "radiogroup");
        // ipywidgets leaves its radios without a common `name`: to the browser each was a group
        // of its own (Tab stopped on every option, arrows did not move). One name per group
        // and per view makes them one group: Tab enters it once, arrows choose within it.
        for (const radio of radios.querySelectorAll("input[type=radio]")) {
          if (radio.name !== view + cls) radio.name = view + cls;
        }
      }
      if (!field && !radios && !target.getAttribute("role")) target.setAttribute("role", "group");
    }
  }
}

function render({ model, el }) {
  el.classList.add("exk-guard");
  el.hidden = true;
  let box = null, observer = null, timer = null, tries = 0;
  const stop = (event) => { if (!passes(event)) event.stopPropagation(); };
  const view = "exk-" + Math.random().toString(36).slice(2) + "-";
  const relabel = () => box && name(box, model.get("names") || {}, view);
  const attach = () => {
    box = el.parentElement;
    if (!box) {
      // Not in the page yet (views are attached after rendering): look again shortly.
      if (tries++ < 400) timer = setTimeout(attach, 50);
      return;
    }
    box.addEventListener("keydown", stop);
    observer = new MutationObserver(relabel);
    observer.observe(box, { childList: true, subtree: true });
    relabel();
  };
  attach();
  model.on("change:names", relabel);
  return () => {
    clearTimeout(timer);
    if (observer) observer.disconnect();
    if (box) box.removeEventListener("keydown", stop);
    model.off("change:names", relabel);
  };
}
export default { render };
"""

_counter = itertools.count(1)


class Guard(anywidget.AnyWidget):
    """Hidden helper of one exercise box: keys stay inside, controls get their names."""

    _esm = _ESM
    names = traitlets.Dict(default_value={}).tag(sync=True)

    def name(self, control: widgets.Widget, label: str) -> widgets.Widget:
        """Give `control` (a Dropdown, RadioButtons, Textarea, ToggleButtons…) the accessible
        name `label`; returns it."""
        cls = f"exk-name-{next(_counter)}"
        control.add_class(cls)
        self.names = {**self.names, cls: label}
        return control

    def forget(self, control: widgets.Widget) -> None:
        """Drop the name of a control that is going away."""
        classes = set(control._dom_classes)
        if classes & set(self.names):
            self.names = {k: v for k, v in self.names.items() if k not in classes}
