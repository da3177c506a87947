/* The assembly page: drag and drop of items between and inside sections (HTML5 drag
   events), sent to the server with htmx; the ↑/↓ buttons are the keyboard alternative.
   No library beyond the vendored htmx. */
(function () {
  "use strict";
  var dragged = null;

  function itemsOf(list) {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.classList.contains("item") && el !== dragged;
    });
  }

  function clearMarks() {
    document.querySelectorAll(".drop-before, .drop-after, .drop-into").forEach(function (el) {
      el.classList.remove("drop-before", "drop-after", "drop-into");
    });
  }

  // Where in `list` a drop at vertical position y lands: [index, the item it goes before].
  function dropPoint(list, y) {
    var items = itemsOf(list);
    for (var i = 0; i < items.length; i++) {
      var box = items[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) return [i, items[i]];
    }
    return [items.length, null];
  }

  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest("li.item[draggable=true]");
    if (!item) return;
    dragged = item;
    item.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.item);
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearMarks();
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var list = event.target.closest && event.target.closest("ol.items[data-section]");
    if (!list) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearMarks();
    var point = dropPoint(list, event.clientY);
    if (point[1]) {
      point[1].classList.add("drop-before");
    } else {
      var items = itemsOf(list);
      if (items.length) items[items.length - 1].classList.add("drop-after");
      else list.classList.add("drop-into");
    }
  });

  document.addEventListener("drop", function (event) {
    if (!dragged) return;
    var list = event.target.closest && event.target.closest("ol.items[data-section]");
    if (!list) return;
    event.preventDefault();
    var index = dropPoint(list, event.clientY)[0];
    var item = dragged;
    clearMarks();
    htmx.ajax("POST", item.dataset.moveUrl, {
      source: item,
      target: "#assembly-body",
      swap: "innerHTML",
      values: { section: list.dataset.section, index: index },
    });
  });

  // Keep the keyboard focus on the same control after the body is swapped.
  var focusId = null;
  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    focusId = active && active.id ? active.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!focusId) return;
    var again = document.getElementById(focusId);
    if (again && again.disabled) {
      // Moved to the first or last place: its other arrow is the useful one now.
      var other = focusId.indexOf("-up-") > -1 ? focusId.replace("-up-", "-down-") : focusId.replace("-down-", "-up-");
      again = document.getElementById(other);
    }
    if (again && !again.disabled) again.focus();
    else {
      var body = document.getElementById("assembly-body");
      if (body) body.focus();
    }
    focusId = null;
  });
})();
