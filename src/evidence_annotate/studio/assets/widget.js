// The notebook widget's side of the editor (appended to editor.js into one ES module).
// It talks to Python through the widget model: "edit" and "view" requests, answered by
// "document"/"timeline"/"error"/"seq" and "frame"/"frame_seq" (see evidence_annotate.widget).
function widgetBackend(model) {
  let seq = 0, frameSeq = 0;
  const answer = (counter, wanted) => new Promise((resolve) => {
    const check = () => {
      if (model.get(counter) >= wanted) { model.off("change:" + counter, check); resolve(); }
    };
    model.on("change:" + counter, check);
    check();
  });
  return {
    state: async () => ({ ...model.get("state"), document: model.get("document"),
                          timeline: model.get("timeline") }),
    update: async (doc) => {
      const n = ++seq;
      model.set("edit", { seq: n, document: doc });
      model.save_changes();
      await answer("seq", n);
      const error = model.get("error");
      if (error) throw new Error(error);
      return { document: model.get("document"), timeline: model.get("timeline") };
    },
    frame: async (t, mode) => {
      const n = ++frameSeq;
      model.set("view", { seq: n, t, mode });
      model.save_changes();
      await answer("frame_seq", n);
      return model.get("frame");
    },
  };
}

function render({ model, el }) {
  el.classList.add("ea-root");
  const editor = el.appendChild(document.createElement("div"));
  const code = document.createElement("details");
  code.innerHTML = "<summary>Code for this plan</summary><pre class='ea-code'></pre>";
  el.appendChild(code);
  const show = () => { code.querySelector("pre").textContent = model.get("code"); };
  model.on("change:code", show);
  show();
  createEditor(editor, widgetBackend(model));
}

export default { render };
