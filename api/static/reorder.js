/* Reorder the rows of a list by drag and drop or with move buttons (keyboard).
 *
 * Markup (see docs/adr/022-reorder-lists-and-errors-reported-at-once.md):
 *   <ol data-reorder data-live="ID" data-moved="„{title}“ … {position} … {count}"
 *       [data-departure="3"] [data-dirty="ID"]>
 *     <li data-reorder-row data-title="…" [data-rank="5"]>
 *       <span data-drag-handle draggable="true">…</span> <span data-position>1</span>
 *       <button type="submit" name="move" value="up:…" data-move="up">…</button>
 *       <button type="submit" name="move" value="down:…" data-move="down">…</button>
 *       [<div data-when-departs>…<input>…</div>] [<span data-departs-note>…</span>]
 *
 * Without JavaScript the move buttons submit the form and the server moves the row.
 * With it, rows move at once in the page (the form posts them in their new order),
 * focus stays on the button pressed, and the live region announces the new position.
 */
(function () {
  "use strict";

  function rows(list) {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.hasAttribute("data-reorder-row");
    });
  }

  function announce(list, row) {
    var live = document.getElementById(list.getAttribute("data-live") || "");
    var all = rows(list);
    var text = (list.getAttribute("data-moved") || "")
      .replace("{title}", row.getAttribute("data-title") || "")
      .replace("{position}", String(all.indexOf(row) + 1))
      .replace("{count}", String(all.length));
    if (live) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = text; }, 50);
    }
  }

  function refresh(list) {
    var departure = parseInt(list.getAttribute("data-departure") || "0", 10);
    rows(list).forEach(function (row, index) {
      var position = index + 1;
      row.querySelectorAll("[data-position]").forEach(function (el) {
        el.textContent = String(position);
      });
      if (!departure) { return; }
      var rank = parseInt(row.getAttribute("data-rank") || "", 10);
      var departs = isNaN(rank) || Math.abs(position - rank) >= departure;
      row.classList.toggle("departs", departs);
      row.querySelectorAll("[data-departs-note]").forEach(function (el) { el.hidden = !departs; });
      row.querySelectorAll("[data-when-departs]").forEach(function (el) {
        var field = el.querySelector("input, textarea");
        el.hidden = !departs && !(field && field.value.trim());
      });
    });
    var dirty = document.getElementById(list.getAttribute("data-dirty") || "");
    if (dirty) { dirty.hidden = false; }
  }

  function move(list, row, direction) {
    var all = rows(list);
    var index = all.indexOf(row);
    if (direction === "up" && index > 0) {
      list.insertBefore(row, all[index - 1]);
    } else if (direction === "down" && index < all.length - 1) {
      list.insertBefore(row, all[index + 1].nextSibling);
    } else {
      return false;
    }
    refresh(list);
    return true;
  }

  function setUp(list) {
    var dragging = null;

    list.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-move]");
      if (!button || !list.contains(button)) { return; }
      event.preventDefault();
      var row = button.closest("[data-reorder-row]");
      move(list, row, button.getAttribute("data-move"));
      button.focus();
      announce(list, row);
    });

    list.addEventListener("dragstart", function (event) {
      var handle = event.target.closest && event.target.closest("[data-drag-handle]");
      if (!handle || !list.contains(handle)) { return; }
      dragging = handle.closest("[data-reorder-row]");
      dragging.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragging.getAttribute("data-title") || "");
      if (event.dataTransfer.setDragImage) { event.dataTransfer.setDragImage(dragging, 16, 16); }
    });

    list.addEventListener("dragover", function (event) {
      if (!dragging) { return; }
      var over = event.target.closest && event.target.closest("[data-reorder-row]");
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      if (!over || over === dragging || over.parentNode !== list) { return; }
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragging, after ? over.nextSibling : over);
    });

    list.addEventListener("drop", function (event) {
      if (dragging) { event.preventDefault(); }
    });

    list.addEventListener("dragend", function () {
      if (!dragging) { return; }
      var row = dragging;
      dragging = null;
      row.classList.remove("dragging");
      refresh(list);
      var handle = row.querySelector("button[data-move]");
      if (handle) { handle.focus(); }
      announce(list, row);
    });
  }

  document.querySelectorAll("[data-reorder]").forEach(function (list) {
    list.classList.add("reorder-ready");
    setUp(list);
  });
})();
