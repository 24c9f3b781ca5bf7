/* Shows the check-in code full-screen for a projector (Fullscreen API); the button stays hidden where it cannot work. */
(function () {
  "use strict";
  document.querySelectorAll("[data-fullscreen]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-fullscreen"));
    if (!target || !document.fullscreenEnabled) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      target.requestFullscreen().catch(function () {});
    });
  });
})();
