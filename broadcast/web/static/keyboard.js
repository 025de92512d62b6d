/* Bản dịch: the on-screen keyboard (Tai Viet letters, Vietnamese letters and tone marks)
   and the translate page's shortcuts. No build step; works without htmx.
   - a key (button[data-chen]) inserts its text at the caret of the translation box;
     the box is then normalised to NFC, so a tone mark typed after its letter becomes one
     character, and an 'input' event lets htmx re-run the QA check;
   - Alt+1..9 (or the button) copies suggestion N into the box;
   - Ctrl+Enter: save and next; Ctrl+Shift+Enter: approve and next. */
(function () {
  "use strict";

  function box() {
    return document.getElementById("ban-dich");
  }

  function changed(el) {
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function insert(el, text) {
    var start = el.selectionStart == null ? el.value.length : el.selectionStart;
    var end = el.selectionEnd == null ? start : el.selectionEnd;
    var before = (el.value.slice(0, start) + text).normalize("NFC");
    var after = el.value.slice(end);
    el.value = (before + after).normalize("NFC");
    // The caret after the inserted text, counted on the normalised text before it.
    var caret = Math.min(before.length, el.value.length);
    el.focus();
    el.setSelectionRange(caret, caret);
    changed(el);
  }

  function useSuggestion(button) {
    var el = box();
    if (!el || !button) return;
    el.value = button.getAttribute("data-text");
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
    changed(el);
  }

  document.addEventListener("mousedown", function (event) {
    // Keep the caret in the box while a key of the on-screen keyboard is pressed.
    if (event.target.closest && event.target.closest("button[data-chen]")) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var key = event.target.closest && event.target.closest("button[data-chen]");
    if (key && box()) {
      event.preventDefault();
      insert(box(), key.getAttribute("data-chen"));
      return;
    }
    var suggestion = event.target.closest && event.target.closest("button.dung-goi-y");
    if (suggestion) {
      event.preventDefault();
      useSuggestion(suggestion);
    }
  });

  function press(id) {
    var button = document.getElementById(id);
    if (button && !button.disabled) button.click();
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      press(event.shiftKey ? "nut-duyet" : "nut-luu");
      return;
    }
    if (event.altKey && !event.ctrlKey && /^Digit[1-9]$/.test(event.code || "")) {
      var n = event.code.slice(5);
      var button = document.querySelector('button.dung-goi-y[data-phim="' + n + '"]');
      if (button) {
        event.preventDefault();
        useSuggestion(button);
      }
    }
  });
})();
