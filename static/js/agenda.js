/* The agenda builder: a filter box over long lists of choices, and sessions moved by drag and drop.
   Without JavaScript the lists are plain checkboxes or radio buttons and the arrows move sessions. */
(function () {
  "use strict";

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function addFilter(picker) {
    if (picker.dataset.ready) return;
    picker.dataset.ready = "true";
    var items = Array.prototype.map.call(picker.querySelectorAll("input[type=checkbox], input[type=radio]"), function (input) {
      var label = input.closest("label") || picker.querySelector("label[for='" + input.id + "']");
      return { row: (label && label.parentElement) || input.parentElement, text: plain(label ? label.textContent : "") };
    });
    if (items.length < 2) return;
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-filter";
    box.setAttribute("aria-label", picker.dataset.filter);
    box.placeholder = picker.dataset.filter;
    box.addEventListener("input", function () {
      var wanted = plain(box.value);
      items.forEach(function (item) {
        item.row.hidden = wanted !== "" && item.text.indexOf(wanted) === -1;
      });
    });
    // Enter in the filter must not send the form.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    var legend = picker.querySelector("legend");
    if (legend) legend.insertAdjacentElement("afterend", box);
    else picker.insertBefore(box, picker.firstChild);
  }

  function setUp(root) {
    root.querySelectorAll("[data-filter]").forEach(addFilter);
    root.querySelectorAll("[data-reorder] > li").forEach(function (row) {
      row.draggable = true;
      row.classList.add("is-draggable");
    });
  }

  var dragged = null;

  function rowOf(event) {
    var row = event.target.closest && event.target.closest("[data-reorder] > li");
    return row && dragged && row.parentElement === dragged.parentElement ? row : null;
  }

  document.addEventListener("dragstart", function (event) {
    dragged = event.target.closest && event.target.closest("[data-reorder] > li");
    if (!dragged) return;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.position);
    dragged.classList.add("is-dragged");
  });
  document.addEventListener("dragover", function (event) {
    var row = rowOf(event);
    if (!row) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  });
  document.addEventListener("drop", function (event) {
    var row = rowOf(event);
    if (!row) return;
    event.preventDefault();
    var form = dragged.querySelector(".move-form");
    if (row !== dragged && form) {
      // The move form is boosted by htmx when present; otherwise it is sent as a plain form.
      form.elements.to.value = row.dataset.position;
      form.requestSubmit();
    }
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragged");
    dragged = null;
  });

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSettle", function () { setUp(document); });
})();
