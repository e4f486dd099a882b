/* Copy buttons: the page's only script. Without it the buttons stay hidden and
   the texts can still be selected by hand. briefkit allows exactly this text
   through the page's Content-Security-Policy by its hash. */
(function () {
  "use strict";
  var status = document.getElementById("copy-status");

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function confirm(button) {
    var label = button.textContent;
    button.textContent = button.getAttribute("data-copied");
    status.textContent = button.getAttribute("data-copied");
    window.setTimeout(function () { button.textContent = label; status.textContent = ""; }, 2000);
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) { return; }
    button.hidden = false;
    // With the button, the hint to select the text by hand would say one thing twice.
    var hint = target.parentNode.querySelector(".select-hint");
    if (hint) { hint.hidden = true; }
    button.addEventListener("click", function () {
      var text = target.textContent.trim();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { confirm(button); },
                                                 function () { selectText(target); });
      } else {
        selectText(target);
      }
    });
  });
})();
