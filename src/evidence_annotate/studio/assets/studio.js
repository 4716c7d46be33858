// The studio page: the shared editor (editor.js) talking to the local server over HTTP.
// Every request carries the session's token; the server refuses requests without it.
"use strict";
(function () {
  const token = document.querySelector('meta[name="studio-token"]').content;

  async function call(method, path, body) {
    const init = { method, headers: { "X-Studio-Token": token } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (!response.ok) {
      let message = response.status + " " + response.statusText;
      try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
      throw new Error(message);
    }
    return response;
  }

  let lastFrame = null;
  const backend = {
    state: async () => (await call("GET", "/api/state")).json(),
    update: async (doc) => (await call("POST", "/api/document", doc)).json(),
    frame: async (t, mode) => {
      const url = "/api/frame?t=" + encodeURIComponent(t) + "&mode=" + mode;
      const blob = await (await call("GET", url)).blob();
      if (lastFrame) URL.revokeObjectURL(lastFrame);
      lastFrame = URL.createObjectURL(blob);
      return lastFrame;
    },
    save: async () => (await call("POST", "/api/save", {})).json(),
    transcribe: async () => (await call("POST", "/api/transcribe", {})).json(),
    exportStart: async (platform) => (await call("POST", "/api/export", { platform })).json(),
    exportStatus: async () => (await call("GET", "/api/export")).json(),
  };

  createEditor(document.getElementById("studio"), backend);
})();
