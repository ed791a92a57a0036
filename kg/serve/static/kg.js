// kg serve: small conveniences; every page works without this script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var editor = document.getElementById("editor");
  if (!editor) {
    return;
  }
  var form = document.getElementById("editor-form");
  var run = function () { form.requestSubmit ? form.requestSubmit() : form.submit(); };
  var Yasqe = window.Yasqe && (window.Yasqe.default || window.Yasqe);
  if (typeof Yasqe === "function") {
    // the SPARQL editor of YASGUI (vendored: static/vendor/yasqe), over the plain textarea: it
    // highlights and checks the query, completes prefixes and variables from its own lists (no
    // look-up over the network), keeps nothing in the browser's storage, and the form still
    // sends the textarea
    var holder = document.createElement("div");
    holder.className = "yasqe-holder";
    editor.parentNode.insertBefore(holder, editor);
    editor.hidden = true;
    var yasqe = new Yasqe(holder, {
      value: editor.value,
      persistenceId: null,
      showQueryButton: false,
      createShareableLink: null,
      consumeShareLink: null,
      createShortLink: undefined,
      prefixCcApi: null,
      autocompleters: ["variables", "prefixes"],
      resizeable: true,
      editorHeight: "320px",
      requestConfig: { endpoint: "/sparql", method: "POST" },
    });
    yasqe.on("change", function () { editor.value = yasqe.getValue(); });
    yasqe.addKeyMap({ "Ctrl-Enter": function () { editor.value = yasqe.getValue(); run(); },
                      "Cmd-Enter": function () { editor.value = yasqe.getValue(); run(); } });
    form.addEventListener("submit", function () { editor.value = yasqe.getValue(); });
    window.kgEditor = yasqe;
    return;
  }
  // Ctrl+Enter (or Cmd+Enter) runs the query in the plain editor
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
});
