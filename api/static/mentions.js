// @mention autocomplete for a comment's textarea (data-mentions="<lookup URL>").
// Typing "@" and letters asks the server whom the writer may mention (only names the
// group's privacy setting lets them see) and offers them in a listbox the textarea
// controls: it stays a multi-line textbox (a combobox role is not allowed on a
// textarea) with aria-autocomplete="list", aria-haspopup="listbox", aria-controls and
// aria-activedescendant naming the highlighted option; a status line says how many
// names are offered. Arrow keys move, Enter or Tab choose, Escape closes.
// Choosing inserts "@Name " and adds a hidden "mentions" field with the person's id,
// so the server knows exactly whom was meant. Without this script the form still
// works: the server recognises "@Name" of everyone the writer may mention.
(function () {
  "use strict";

  var QUERY = /(^|\s)@([^\s@<>]{1,40})$/;
  var counter = 0;

  function enhance(area) {
    if (area.dataset.mentionsReady) return;
    area.dataset.mentionsReady = "1";
    var url = area.dataset.mentions;
    var form = area.form;
    var id = "mentions-" + (++counter);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "mentions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", area.dataset.mentionsLabel || "");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    area.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-haspopup", "listbox");
    area.setAttribute("aria-controls", id);

    var options = [];
    var active = -1;
    var asked = 0;
    var timer = null;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      options = [];
      active = -1;
      area.removeAttribute("aria-activedescendant");
    }

    function mark(index) {
      active = index;
      options.forEach(function (option, i) {
        option.el.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        area.setAttribute("aria-activedescendant", options[index].el.id);
        options[index].el.scrollIntoView({ block: "nearest" });
      } else {
        area.removeAttribute("aria-activedescendant");
      }
    }

    function query() {
      var before = area.value.slice(0, area.selectionStart);
      var match = QUERY.exec(before);
      return match ? match[2] : null;
    }

    function show(people) {
      close();
      if (!people.length) {
        status.textContent = area.dataset.mentionsNone || "";
        return;
      }
      people.forEach(function (person, i) {
        var el = document.createElement("li");
        el.id = id + "-" + i;
        el.setAttribute("role", "option");
        el.setAttribute("aria-selected", "false");
        el.textContent = person.name;
        el.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the textarea
          choose(i);
        });
        list.appendChild(el);
        options.push({ el: el, person: person });
      });
      list.hidden = false;
      status.textContent = (area.dataset.mentionsCount || "").replace("%(count)s", people.length);
      mark(0);
    }

    function lookup() {
      var q = query();
      if (q === null) {
        close();
        return;
      }
      var ticket = ++asked;
      fetch(url + "?q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (people) {
          if (ticket === asked && query() !== null) show(people);
        })
        .catch(close);
    }

    function choose(index) {
      var person = options[index].person;
      var end = area.selectionStart;
      var before = area.value.slice(0, end).replace(QUERY, function (all, space) {
        return space + "@" + person.name + " ";
      });
      area.value = before + area.value.slice(end);
      area.setSelectionRange(before.length, before.length);
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "mentions";
      hidden.value = person.id;
      form.appendChild(hidden);
      close();
      area.focus();
    }

    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    area.addEventListener("keydown", function (event) {
      if (list.hidden || !options.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        mark((active + 1) % options.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        mark((active - 1 + options.length) % options.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    area.addEventListener("blur", function () {
      setTimeout(close, 100);
    });
  }

  function start(root) {
    (root || document).querySelectorAll("textarea[data-mentions]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { start(); });
  } else {
    start();
  }
  document.addEventListener("htmx:afterSwap", function (event) { start(event.target); });
})();
