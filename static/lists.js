// Filter and sort the items of the list on this page (papers, posts and notes): a text box matching
// titles and authors (case- and accent-insensitive) and a sort by year or title. Progressive
// enhancement only: the controls are made here, so a page without JavaScript shows its complete,
// linked list and no dead controls. Each page of a paginated list is filtered on its own.
(() => {
  "use strict";
  const ITEM = "li.paper-item, li.entry";
  const TITLE = ".paper-title, .entry-title";
  const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
  const fold = (text) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  function yearOf(li) {
    const marked = li.querySelector("[data-year]"); // a paper's title link carries its year
    const time = li.querySelector("time[datetime]"); // a post's or note's date
    const raw = marked ? marked.dataset.year : time ? time.getAttribute("datetime").slice(0, 4) : "";
    const year = parseInt(raw, 10);
    return Number.isNaN(year) ? 0 : year;
  }

  const ORDERS = {
    "": (a, b) => a.order - b.order,
    "year-desc": (a, b) => b.year - a.year || a.order - b.order,
    "year-asc": (a, b) => (a.year || 1e9) - (b.year || 1e9) || a.order - b.order,
    title: (a, b) => collator.compare(a.title, b.title) || a.order - b.order,
  };

  function element(tag, props, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }

  function enhance(box) {
    const lists = [...box.querySelectorAll("ol, ul")];
    const items = [];
    for (const list of lists) {
      [...list.children].forEach((li, order) => {
        if (!li.matches(ITEM)) return;
        const titleNode = li.querySelector(TITLE);
        const title = titleNode ? titleNode.textContent.trim() : "";
        const authors = li.querySelector(".authors");
        const text = fold(`${title} ${authors ? authors.textContent : ""}`);
        items.push({ li, list, order, title, text, year: yearOf(li) });
      });
    }
    if (items.length < 2) return;

    const query = element("input", { type: "search", placeholder: "标题或作者…", autocomplete: "off" });
    const sort = element("select", {});
    for (const [value, label] of [
      ["", "默认顺序"],
      ["year-desc", "年份（新→旧）"],
      ["year-asc", "年份（旧→新）"],
      ["title", "标题（A→Z）"],
    ]) {
      sort.append(element("option", { value, textContent: label }));
    }
    const status = element("span", { className: "list-status" });
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    const controls = element(
      "div",
      { className: "list-controls" },
      element("label", {}, "在本页筛选 ", query),
      " ",
      element("label", {}, "排序 ", sort),
      " ",
      status,
    );
    box.before(controls);

    function filter() {
      const wanted = fold(query.value.trim());
      let shown = 0;
      for (const item of items) {
        item.li.hidden = wanted !== "" && !item.text.includes(wanted);
        shown += item.li.hidden ? 0 : 1;
      }
      // A year section (author pages) with nothing left in it goes too.
      for (const section of box.querySelectorAll("section")) {
        section.hidden = !section.querySelector(`:is(${ITEM}):not([hidden])`);
      }
      status.textContent = wanted === "" ? "" : `显示 ${shown} / ${items.length} 项`;
    }

    function reorder() {
      const compare = ORDERS[sort.value] || ORDERS[""];
      for (const list of lists) {
        const own = items.filter((item) => item.list === list).sort(compare);
        for (const item of own) list.append(item.li);
      }
    }

    query.addEventListener("input", filter);
    sort.addEventListener("change", reorder);
  }

  document.querySelectorAll("[data-list]").forEach(enhance);
})();
