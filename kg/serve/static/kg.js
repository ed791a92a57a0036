// kg serve: small conveniences; every page works without this script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var editor = document.getElementById("editor");
  if (editor) {
    // Ctrl+Enter (or Cmd+Enter) runs the query in the editor
    editor.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        document.getElementById("editor-form").submit();
      }
    });
  }
});
