/* briefkit serve: reloads this page when its brief was rebuilt, and shows the
   workspace's errors over it while the files do not validate. Added by the
   preview server to the pages it serves; never part of a built file. */
(function () {
  "use strict";
  var here = decodeURIComponent(location.pathname);
  var overlay = null;

  function isMine(folders) {
    var inPacket = /^\/[^/_][^/]*\/[^/]+\//.test(here);
    if (!inPacket) { return folders.length > 0; }  // the list of packets, the team overview
    return folders.some(function (folder) { return here.indexOf("/" + folder + "/") === 0; });
  }

  function showErrors(text) {
    if (overlay === null) {
      overlay = document.createElement("div");
      overlay.id = "briefkit-errors";
      overlay.setAttribute("role", "alertdialog");
      overlay.setAttribute("aria-labelledby", "briefkit-errors-title");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;" +
        "padding:1.25rem;background:#181a1f;color:#ffffff;font:15px/1.5 system-ui,sans-serif";
      var title = document.createElement("h2");
      title.id = "briefkit-errors-title";
      title.style.cssText = "margin:0 0 0.5rem;font-size:1.25rem;color:#ff8a80";
      title.textContent = "The campaign files have errors";
      var note = document.createElement("p");
      note.style.cssText = "margin:0 0 1rem;color:#e8e6e3";
      note.textContent = "Behind this is the last brief that was fine. Fix the files and save: " +
        "this page updates by itself.";
      var hide = document.createElement("button");
      hide.type = "button";
      hide.textContent = "Show the last good brief";
      hide.style.cssText = "margin:0 0 1rem;padding:0.4rem 0.9rem;font:inherit;border-radius:0.4rem;" +
        "border:1px solid #ffffff;background:transparent;color:#ffffff;cursor:pointer";
      hide.addEventListener("click", function () { overlay.hidden = true; });
      var details = document.createElement("pre");
      details.style.cssText = "margin:0;white-space:pre-wrap;overflow-wrap:anywhere;" +
        "font:13px/1.5 ui-monospace,'DejaVu Sans Mono',monospace;color:#ffffff";
      overlay.appendChild(title);
      overlay.appendChild(note);
      overlay.appendChild(hide);
      overlay.appendChild(details);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = text;
    overlay.hidden = false;
    overlay.querySelector("button").focus();
  }

  var events = new EventSource("/_briefkit/events");
  events.addEventListener("errors", function (event) {
    showErrors(JSON.parse(event.data).text);
  });
  events.addEventListener("built", function (event) {
    if (overlay !== null || isMine(JSON.parse(event.data).folders)) { location.reload(); }
  });
})();
