// The evidence editor, shared by the studio page and the notebook widget (no build step).
//
// createEditor(root, backend) draws the editor into `root`. The backend answers:
//   state() -> {info, timeline, document, platforms, platform, files, features, export}
//   update(document) -> {document, timeline}   (rejects with the API's message)
//   frame(t, mode) -> an image URL of the OUTPUT frame at t, drawn by Evidence.preview
//   save(), transcribe(), exportStart(platform), exportStatus()   (when features say so)
// The frame shown is always the library's own preview; the outlines drawn over it are only
// handles to grab. Times in the document are SOURCE seconds; the scrubber is OUTPUT frames.
function createEditor(root, backend) {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const RECT_KINDS = ["box", "ellipse", "blur", "spotlight", "magnify"];
  const TOOLS = ["select", "box", "ellipse", "arrow", "text", "blur", "magnify"];
  const FIELDS = { box: ["label"], ellipse: ["label"], arrow: ["label"], text: ["text"],
                   blur: ["method"], magnify: ["zoom"], spotlight: ["dim"], clock: ["corner"] };
  let S = null;            // the server's state
  let doc = null;          // the current document
  let frameIndex = 0, tool = "select", selected = -1, drag = null, mode = "result";
  let pendingFrame = false, loadingFrame = false, exportTimer = null, busy = 0;
  const work = (delta) => { busy += delta; root.dataset.busy = String(busy); };

  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v; else if (k === "text") node.textContent = v;
      else if (k === "style") node.style.cssText = v;  // CSSOM: allowed by the page's CSP
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };
  const svgEl = (tag, attrs) => {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  };
  const fmt = (s) => {
    if (s === null || s === undefined) return "end";
    const m = Math.floor(s / 60), rest = s - 60 * m;
    return String(m).padStart(2, "0") + ":" + rest.toFixed(3).padStart(6, "0");
  };

  // -- time: output frames <-> source seconds ----------------------------------------------
  const fps = () => S.info.fps;
  const frames = () => Math.max(1, Math.floor(S.timeline.duration * fps() - 1e-6) + 1);
  const outTime = () => +(frameIndex / fps()).toFixed(6);
  function toSource(t) {
    let at = S.timeline.card;
    if (t < at) return null;
    for (const [a, b] of S.timeline.segments) {
      if (t < at + (b - a)) return +(a + (t - at)).toFixed(6);
      at += b - a;
    }
    return null;
  }
  function toOutput(s) {
    let at = S.timeline.card;
    for (const [a, b] of S.timeline.segments) {
      if (s >= a && s < b) return at + (s - a);
      at += b - a;
    }
    return null;
  }
  const active = (layer, s) => s !== null && (layer.args.start || 0) <= s &&
    (layer.args.end === undefined || layer.args.end === null || s < layer.args.end);

  // -- layout ------------------------------------------------------------------------------
  root.textContent = "";
  const status = el("div", { class: "ea-status", role: "status" });
  const img = el("img", { class: "ea-frame", alt: "output frame" });
  const svg = svgEl("svg", { class: "ea-svg" });
  const stage = el("div", { class: "ea-stage" }, img, svg);
  const scrub = el("input", { type: "range", class: "ea-scrub", min: 0, step: 1, value: 0,
                              "aria-label": "output frame" });
  const timeText = el("span", { class: "ea-time" });
  const bar = el("div", { class: "ea-timeline" });
  const toolbar = el("div", { class: "ea-tools" });
  const modeSel = el("select", { class: "ea-mode", "aria-label": "show" },
                     el("option", { value: "result", text: "Result (as exported)" }),
                     el("option", { value: "footage", text: "Footage only" }));
  const actions = el("div", { class: "ea-actions" });
  const cardBox = el("section", { class: "ea-card" });
  const layerList = el("ol", { class: "ea-layers" });
  const cueList = el("ol", { class: "ea-cues" });
  const exportBox = el("div", { class: "ea-export-result" });
  const side = el("div", { class: "ea-side" }, cardBox,
                  el("section", {}, el("h2", { text: "Layers" }), layerList),
                  el("section", { class: "ea-captions" }, el("h2", { text: "Captions" }),
                     cueList));
  const transport = el("div", { class: "ea-transport" },
    el("button", { type: "button", "data-action": "prev", title: "previous frame",
                   onclick: () => seek(frameIndex - 1) }, "◀"),
    scrub,
    el("button", { type: "button", "data-action": "next", title: "next frame",
                   onclick: () => seek(frameIndex + 1) }, "▶"),
    timeText);
  const left = el("div", { class: "ea-left" }, stage, transport, bar);
  root.append(el("div", { class: "ea-editor" },
                 el("div", { class: "ea-top" }, toolbar, modeSel, actions),
                 el("div", { class: "ea-main" }, left, side), exportBox, status));

  const say = (text, error) => {
    status.textContent = text;
    status.classList.toggle("error", !!error);
  };

  // -- talking to the backend --------------------------------------------------------------
  async function commit(next) {
    work(1);
    try {
      const answer = await backend.update(next);
      doc = answer.document;
      S.timeline = answer.timeline;
      say("");
    } catch (err) {
      say(err.message, true);
    }
    renderAll();
    requestFrame();
    work(-1);
  }
  const copy = () => JSON.parse(JSON.stringify(doc));

  async function requestFrame() {
    if (loadingFrame) { pendingFrame = true; return; }
    loadingFrame = true;
    work(1);
    try {
      img.src = await backend.frame(outTime(), mode);
      await img.decode().catch(() => {});
      root.dataset.shown = String(frameIndex) + ":" + mode;
    } catch (err) {
      say(err.message, true);
    }
    loadingFrame = false;
    work(-1);
    if (pendingFrame) { pendingFrame = false; requestFrame(); }
  }

  function seek(index) {
    frameIndex = Math.max(0, Math.min(frames() - 1, index));
    scrub.value = frameIndex;
    renderTime();
    renderShapes();
    renderCues(false);
    requestFrame();
  }

  // -- the frame's handles -----------------------------------------------------------------
  function point(event) {
    const p = svg.createSVGPoint();
    p.x = event.clientX; p.y = event.clientY;
    const q = p.matrixTransform(svg.getScreenCTM().inverse());
    return [Math.max(0, Math.min(S.info.width - 1, Math.round(q.x))),
            Math.max(0, Math.min(S.info.height - 1, Math.round(q.y)))];
  }
  function handle(x, y, name, index) {
    const r = Math.max(3, Math.round(Math.max(...S.info.frame) / 160));
    return svgEl("rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r, class: "ea-handle",
                           "data-handle": name, "data-index": index });
  }
  function renderShapes() {
    svg.textContent = "";
    if (!S) return;
    const [w, h] = S.info.frame;
    svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
    const s = toSource(outTime());
    doc.layers.forEach((layer, i) => {
      if (!(active(layer, s) || i === selected)) return;
      const a = layer.args, cls = `ea-shape ea-${layer.kind}` + (i === selected ? " selected" : "");
      const g = svgEl("g", { "data-index": i, class: cls });
      if (a.rect) {
        const [x, y, rw, rh] = a.rect;
        g.append(svgEl(layer.kind === "ellipse" ? "ellipse" : "rect", layer.kind === "ellipse"
          ? { cx: x + rw / 2, cy: y + rh / 2, rx: rw / 2, ry: rh / 2, "data-index": i }
          : { x, y, width: rw, height: rh, "data-index": i }));
        if (i === selected) {
          g.append(handle(x, y, "tl", i), handle(x + rw, y, "tr", i),
                   handle(x, y + rh, "bl", i), handle(x + rw, y + rh, "br", i));
          if (a.at) g.append(handle(a.at[0], a.at[1], "at", i));
        }
      } else if (a.tail && a.head) {
        g.append(svgEl("line", { x1: a.tail[0], y1: a.tail[1], x2: a.head[0], y2: a.head[1],
                                 "data-index": i }));
        if (i === selected) g.append(handle(a.tail[0], a.tail[1], "tail", i),
                                     handle(a.head[0], a.head[1], "head", i));
      } else if (layer.kind === "text") {
        const [x, y] = a.at || [24, 24];
        g.append(svgEl("rect", { x, y, width: 40, height: 20, "data-index": i }));
        if (i === selected) g.append(handle(x, y, "at", i));
      }
      svg.append(g);
    });
    if (drag && drag.preview) svg.append(drag.preview);
  }

  const normRect = (a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]),
                              Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1])];
  svg.addEventListener("pointerdown", (event) => {
    if (!S || event.button !== 0) return;
    const p = point(event);
    svg.setPointerCapture(event.pointerId);
    const target = event.target.closest("[data-index]");
    if (tool === "select") {
      if (!target) { selected = -1; renderAll(); return; }
      selected = +target.dataset.index;
      drag = { index: selected, from: p, handle: target.dataset.handle || "move",
               args: JSON.parse(JSON.stringify(doc.layers[selected].args)) };
      renderLayers();
      renderShapes();
    } else {
      drag = { tool, from: p, to: p, preview: svgEl(tool === "arrow" ? "line" : "rect",
                                                     { class: "ea-drawing" }) };
    }
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const p = point(event);
    if (drag.tool) {
      drag.to = p;
      if (drag.tool === "arrow") {
        Object.entries({ x1: drag.from[0], y1: drag.from[1], x2: p[0], y2: p[1] })
          .forEach(([k, v]) => drag.preview.setAttribute(k, v));
      } else {
        const [x, y, w, h] = normRect(drag.from, p);
        Object.entries({ x, y, width: w, height: h })
          .forEach(([k, v]) => drag.preview.setAttribute(k, v));
      }
      renderShapes();
      return;
    }
    const a = doc.layers[drag.index].args, o = drag.args;
    const dx = p[0] - drag.from[0], dy = p[1] - drag.from[1];
    const move = (pt) => pt && [pt[0] + dx, pt[1] + dy];
    if (drag.handle === "move") {
      if (o.rect) a.rect = [o.rect[0] + dx, o.rect[1] + dy, o.rect[2], o.rect[3]];
      for (const k of ["tail", "head", "at"]) if (o[k]) a[k] = move(o[k]);
      if (!o.rect && !o.tail && doc.layers[drag.index].kind === "text") a.at = move(o.at || [24, 24]);
    } else if (["tail", "head", "at"].includes(drag.handle)) {
      a[drag.handle] = p;
    } else {
      const [x, y, w, h] = o.rect;
      const xs = drag.handle.includes("l") ? [p[0], x + w] : [x, p[0]];
      const ys = drag.handle.includes("t") ? [p[1], y + h] : [y, p[1]];
      a.rect = normRect([xs[0], ys[0]], [xs[1], ys[1]]);
    }
    renderShapes();
  });
  svg.addEventListener("pointerup", (event) => {
    if (!drag) return;
    const d = drag;
    drag = null;
    if (d.tool) {
      const p = point(event);
      const next = copy();
      let args = null;
      if (d.tool === "arrow") {
        if (Math.hypot(p[0] - d.from[0], p[1] - d.from[1]) >= 4) args = { tail: d.from, head: p };
      } else if (d.tool === "text") {
        args = { text: "Note", at: d.from };
      } else {
        const r = normRect(d.from, p);
        if (r[2] >= 4 && r[3] >= 4) args = { rect: r };
      }
      if (!args) { renderShapes(); return; }
      next.layers.push({ kind: d.tool, args });
      const before = doc.layers.length;
      setTool("select");
      commit(next).then(() => {
        // the new layer is the last of its kind (layers are grouped by kind)
        const same = doc.layers.map((l, i) => [l, i]).filter(([l]) => l.kind === d.tool);
        if (doc.layers.length > before && same.length) selected = same[same.length - 1][1];
        renderAll();
        const input = layerList.querySelector(`li[data-index="${selected}"] [data-field]`);
        if (input && d.tool === "text") input.select();
      });
    } else if (JSON.stringify(d.args) !== JSON.stringify(doc.layers[d.index].args)) {
      commit(doc);
    }
  });

  // -- side panels ---------------------------------------------------------------------------
  function setTool(name) {
    tool = name;
    toolbar.querySelectorAll("button").forEach((b) =>
      b.classList.toggle("on", b.dataset.tool === name));
    svg.classList.toggle("drawing", name !== "select");
  }
  TOOLS.forEach((name) => toolbar.append(el("button", {
    type: "button", "data-tool": name, title: name === "select" ? "select, move, resize"
      : "draw a " + name, onclick: () => setTool(name) }, name[0].toUpperCase() + name.slice(1))));
  modeSel.addEventListener("change", () => { mode = modeSel.value; requestFrame(); });
  scrub.addEventListener("input", () => seek(+scrub.value));

  function renderTime() {
    const t = outTime(), s = toSource(t);
    timeText.textContent = `${fmt(t)} · frame ${frameIndex + 1}/${frames()} · ` +
      (s === null ? "title card" : "source " + fmt(s));
    const head = bar.querySelector(".ea-playhead");
    if (head) head.style.left = (100 * t / S.timeline.duration) + "%";
  }

  function renderTimeline() {
    bar.textContent = "";
    const total = S.timeline.duration, pct = (t) => (100 * t / total) + "%";
    const track = el("div", { class: "ea-track" });
    if (S.timeline.card > 0) {
      track.append(el("div", { class: "ea-seg ea-seg-card", text: "Title card",
                               style: `left:0;width:${pct(S.timeline.card)}` }));
    }
    let at = S.timeline.card;
    for (const [a, b] of S.timeline.segments) {
      track.append(el("div", { class: "ea-seg", text: S.info.name,
                               style: `left:${pct(at)};width:${pct(b - a)}` }));
      at += b - a;
    }
    bar.append(track);
    doc.layers.forEach((layer, i) => {
      const start = toOutput(layer.args.start || 0) ?? S.timeline.card;
      const end = layer.args.end === undefined || layer.args.end === null ? total
        : toOutput(layer.args.end) ?? total;
      bar.append(el("div", { class: "ea-lane" + (i === selected ? " selected" : "") },
        el("div", { class: `ea-span ea-${layer.kind}`, title: layer.kind,
                    style: `left:${pct(start)};width:${pct(Math.max(0, end - start))}` })));
    });
    bar.append(el("div", { class: "ea-playhead" }));
    bar.onclick = (event) => {
      const box = bar.getBoundingClientRect();
      seek(Math.round((event.clientX - box.left) / box.width * total * fps()));
    };
    renderTime();
  }

  let draft = {};  // title card fields typed while the card is off
  function renderCard() {
    cardBox.textContent = "";
    const card = doc.title_card || draft;
    const on = el("input", { type: "checkbox", class: "ea-card-on" });
    const field = (name, value, type) => el("label", {}, name[0].toUpperCase() + name.slice(1),
      el("input", { type: type || "text", "data-card": name, value: value ?? "",
                    step: type === "number" ? "0.5" : undefined }));
    on.checked = !!doc.title_card;
    cardBox.append(el("h2", {}, el("label", {}, on, " Title card")),
                   field("order", card?.order), field("date", card?.date),
                   field("title", card?.title), field("seconds", card?.seconds ?? 3, "number"));
    const apply = () => {
      const next = copy();
      const value = (n) => cardBox.querySelector(`[data-card="${n}"]`).value;
      draft = { order: value("order"), date: value("date"), title: value("title"),
                seconds: +value("seconds") || 3 };
      if (!on.checked) {
        if (doc.title_card) { next.title_card = null; commit(next); }
        return;
      }
      if (!value("order").trim() || !value("date").trim()) {
        say("Title card: give the order number and the date", true);
        return;
      }
      next.title_card = { order: value("order"), date: value("date"),
                          title: value("title") || null, seconds: +value("seconds") || 3 };
      commit(next);
    };
    cardBox.querySelectorAll("input").forEach((input) => input.addEventListener("change", apply));
  }

  function renderLayers() {
    layerList.textContent = "";
    if (!doc.layers.length) layerList.append(el("li", { class: "ea-empty",
      text: "Pick a tool above and drag on the frame." }));
    doc.layers.forEach((layer, i) => {
      const a = layer.args;
      const set = (key, value) => {
        const next = copy();
        if (value === null || value === "") delete next.layers[i].args[key];
        else next.layers[i].args[key] = value;
        commit(next);
      };
      const timeInput = (key) => el("input", { type: "number", step: "any", min: 0,
        "data-time": key, value: a[key] ?? "", placeholder: key === "end" ? "end" : "0",
        onchange: (e) => set(key, e.target.value === "" ? null : +e.target.value) });
      const mark = (key) => el("button", { type: "button", "data-action": "mark-" + key,
        title: key === "start" ? "start at this frame" : "end after this frame",
        onclick: () => {
          const s = toSource(outTime());
          if (s === null) { say("The title card has no source time; move to the clip", true); return; }
          const value = key === "start" ? s : +(s + 1 / fps()).toFixed(6);
          set(key, key === "end" && value >= S.info.duration ? null : value);
        } }, key === "start" ? "⇤ now" : "now ⇥");
      const item = el("li", { class: "ea-layer" + (i === selected ? " selected" : ""),
                              "data-index": i, "data-kind": layer.kind },
        el("div", { class: "ea-layer-head", onclick: () => { selected = i; renderAll(); } },
           el("strong", { text: layer.kind }), " ", layer.summary || ""),
        el("div", { class: "ea-layer-times" }, "from ", timeInput("start"), mark("start"),
           " to ", timeInput("end"), mark("end")));
      for (const key of FIELDS[layer.kind] || []) {
        item.append(el("label", {}, key + " ", el("input", {
          type: typeof a[key] === "number" || key === "zoom" || key === "dim" ? "number" : "text",
          step: "any", "data-field": key, value: a[key] ?? "", placeholder: "default",
          onchange: (e) => set(key, e.target.type === "number" && e.target.value !== ""
                                 ? +e.target.value : e.target.value) })));
      }
      item.append(el("button", { type: "button", "data-action": "delete", title: "delete layer",
        onclick: () => { const next = copy(); next.layers.splice(i, 1); selected = -1; commit(next); }
      }, "Delete"));
      layerList.append(item);
    });
  }

  function renderCues(rebuild) {
    const s = toSource(outTime());
    if (rebuild) {
      cueList.textContent = "";
      if (!doc.captions) {
        cueList.append(el("li", { class: "ea-empty", text: S.features.transcribe
          ? "No captions yet: Transcribe, or open a recipe with captions." : "No captions." }));
        return;
      }
      doc.captions.forEach((cue, i) => {
        const input = el("input", { type: "text", class: "ea-cue-text", value: cue.text,
          "aria-label": "caption " + (i + 1),
          onchange: () => { const next = copy(); next.captions[i].text = input.value; commit(next); } });
        cueList.append(el("li", { class: "ea-cue", "data-index": i },
          el("button", { type: "button", class: "ea-cue-time", "data-action": "seek",
            onclick: () => { const t = toOutput(cue.start); if (t !== null) seek(Math.ceil(t * fps() - 1e-6)); }
          }, fmt(cue.start) + " → " + fmt(cue.end)),
          input,
          el("button", { type: "button", "data-action": "split", title: "split at the cursor",
            onclick: () => {
              const next = copy();
              next.captions[i].text = input.value;
              next.captions[i].split = input.selectionStart;
              commit(next);
            } }, "Split"),
          i + 1 < doc.captions.length ? el("button", { type: "button", "data-action": "merge",
            title: "merge with the next caption",
            onclick: () => { const next = copy(); next.captions[i].merge = true; commit(next); } },
            "Merge ↓") : null));
      });
    }
    if (!doc.captions) return;
    cueList.querySelectorAll(".ea-cue").forEach((li) => {
      const cue = doc.captions[+li.dataset.index];
      const on = s !== null && cue.start <= s && s < cue.end;
      if (on && !li.classList.contains("active") && !cueList.contains(document.activeElement)) {
        li.scrollIntoView({ block: "nearest" });
      }
      li.classList.toggle("active", on);
    });
  }

  function renderActions() {
    actions.textContent = "";
    const f = S.features;
    if (f.transcribe) actions.append(el("button", { type: "button", "data-action": "transcribe",
      onclick: async () => {
        say("Transcribing…");
        try { const a = await backend.transcribe(); doc = a.document; S.timeline = a.timeline; say("Transcribed."); }
        catch (err) { say(err.message, true); }
        renderAll(); requestFrame();
      } }, "Transcribe"));
    if (f.save) actions.append(el("button", { type: "button", "data-action": "save",
      onclick: async () => {
        try { say((await backend.save()).message); } catch (err) { say(err.message, true); }
      } }, "Save"));
    if (f.export) {
      const platform = el("select", { class: "ea-platform", "aria-label": "platform" },
        ...S.platforms.map((p) => el("option", { value: p, text: p, selected: p === S.platform })));
      actions.append(platform, el("button", { type: "button", "data-action": "export",
        onclick: async () => {
          try { showExport(await backend.exportStart(platform.value)); pollExport(); }
          catch (err) { say(err.message, true); }
        } }, "Export"));
    }
  }

  function showExport(job) {
    exportBox.textContent = "";
    exportBox.dataset.state = job.state;
    if (job.state === "idle") return;
    exportBox.append(el("progress", { max: 1, value: job.progress }),
                     el("span", { class: "ea-export-message", text: " " + job.message }));
    if (job.check) {
      exportBox.append(el("div", { class: "ea-verdict " + (job.check.ok ? "ok" : "bad"),
        text: (job.check.ok ? "✔ " : "✘ ") + "check for " + job.check.platform + ": " +
              (job.check.ok ? "OK" : "NOT OK") }),
        el("pre", { class: "ea-check", text: job.check.text || "" }));
    }
  }
  function pollExport() {
    clearTimeout(exportTimer);
    exportTimer = setTimeout(async () => {
      try {
        const job = await backend.exportStatus();
        showExport(job);
        if (job.state === "running") pollExport();
      } catch (err) { say(err.message, true); }
    }, 300);
  }

  function renderAll() {
    if (selected >= doc.layers.length) selected = -1;
    scrub.max = frames() - 1;
    renderCard();
    renderLayers();
    renderCues(true);
    renderTimeline();
    renderShapes();
  }

  // -- start ---------------------------------------------------------------------------------
  (async () => {
    try {
      S = await backend.state();
    } catch (err) {
      say("Cannot load the clip: " + err.message, true);
      return;
    }
    doc = S.document;
    root.dataset.clip = S.info.name;
    stage.style.aspectRatio = S.info.frame[0] + " / " + S.info.frame[1];
    setTool("select");
    renderActions();
    renderAll();
    if (S.export && S.export.state !== "idle") { showExport(S.export); pollExport(); }
    await requestFrame();
    root.dataset.ready = "1";
  })();

  return { seek, state: () => ({ S, doc, frameIndex, selected }) };
}
