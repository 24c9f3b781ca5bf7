/* Phone widths: the header folds into a menu and filters fold behind their summary.
   Without JavaScript everything stays unfolded, so nothing is out of reach. */
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 40rem)");

  function setUpMenu() {
    var header = document.querySelector(".site-header");
    var toggle = header && header.querySelector(".menu-toggle");
    if (!toggle) return;
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }
    toggle.hidden = false;
    header.classList.add("has-menu");
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // Open on wide screens, folded on phones (an explicit choice on a phone is kept until the width changes).
  function foldFilters() {
    document.querySelectorAll("details.filter-fold").forEach(function (details) {
      details.open = !phone.matches;
    });
  }

  function start() {
    setUpMenu();
    foldFilters();
    if (phone.addEventListener) phone.addEventListener("change", foldFilters);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
