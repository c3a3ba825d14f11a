// The /search/ page: a small UI over Pagefind's JS API (the bundle this site's build wrote).
// Reads ?q= (and filter params such as ?type=note) on load, runs that search, keeps the URL in step,
// and offers the filters Pagefind knows (type, venue, year, topic, …). No network beyond this site.
const root = document.getElementById("search");
const text = JSON.parse(document.getElementById("search-text").textContent);
const param = root.dataset.queryParam || "q";
const input = document.getElementById("search-input");
const form = document.getElementById("search-form");
const filtersBox = document.getElementById("search-filters");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");

const PAGE_SIZE = 10;
const GROUP_ORDER = ["type", "venue", "year", "topic"];
const TYPE_ORDER = ["note", "post", "paper", "author"];
const selected = {}; // filter name -> Set of values
let pagefind = null;
let sequence = 0; // newer searches win; answers to older ones are dropped
let pending = [];

function say(message) {
  statusLine.textContent = message;
}

function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
}

// Copy Pagefind's excerpt keeping only text and <mark>: no markup from the indexed pages gets through.
function safeExcerpt(html) {
  const doc = new DOMParser().parseFromString(`<p>${html || ""}</p>`, "text/html");
  const out = document.createDocumentFragment();
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
}

function valueOrder(name) {
  if (name === "type") return (a, b) => rank(TYPE_ORDER, a) - rank(TYPE_ORDER, b) || a.localeCompare(b);
  if (name === "year") return (a, b) => Number(b) - Number(a) || b.localeCompare(a);
  return (a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
}

function rank(order, value) {
  const i = order.indexOf(value);
  return i < 0 ? order.length : i;
}

function valueLabel(name, value) {
  return (name === "type" && text.types[value]) || value;
}

const NARROW = window.matchMedia("(max-width: 48rem)");

function renderFilters(all) {
  filtersBox.replaceChildren();
  const names = Object.keys(all).sort((a, b) => rank(GROUP_ORDER, a) - rank(GROUP_ORDER, b) || a.localeCompare(b));
  for (const name of names) {
    const values = Object.keys(all[name]).sort(valueOrder(name));
    if (!values.length) continue;
    const group = document.createElement("details");
    group.className = "search-filter";
    group.dataset.filter = name;
    // On a phone the groups start folded (a row of names above the results); a chosen filter shows its group.
    group.open = (!NARROW.matches && GROUP_ORDER.includes(name)) || (selected[name] && selected[name].size > 0);
    const summary = document.createElement("summary");
    summary.textContent = text.filters[name] || name;
    group.append(summary);
    for (const value of values) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = value;
      box.checked = Boolean(selected[name] && selected[name].has(value));
      box.addEventListener("change", () => {
        selected[name] = selected[name] || new Set();
        box.checked ? selected[name].add(value) : selected[name].delete(value);
        run();
      });
      const count = document.createElement("span");
      count.className = "count";
      count.dataset.value = value;
      count.textContent = all[name][value];
      label.append(box, " ", valueLabel(name, value), " ", count);
      group.append(label);
    }
    filtersBox.append(group);
  }
}

function updateCounts(counts) {
  for (const group of filtersBox.querySelectorAll("details[data-filter]")) {
    const known = (counts && counts[group.dataset.filter]) || {};
    for (const count of group.querySelectorAll(".count")) count.textContent = known[count.dataset.value] ?? 0;
  }
}

function activeFilters() {
  const filters = {};
  for (const [name, values] of Object.entries(selected)) if (values.size) filters[name] = { any: [...values] };
  return filters;
}

function syncUrl(query) {
  const params = new URLSearchParams();
  if (query) params.set(param, query);
  for (const [name, values] of Object.entries(selected)) for (const v of [...values].sort()) params.append(name, v);
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

function renderResult(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const head = document.createElement("p");
  head.className = "search-result-head";
  const type = data.filters && data.filters.type && data.filters.type[0];
  if (type) {
    const badge = document.createElement("span");
    badge.className = `badge badge-${type}`;
    badge.textContent = valueLabel("type", type);
    head.append(badge, " ");
  }
  const link = document.createElement("a");
  link.className = "search-result-title";
  link.href = data.url;
  link.textContent = (data.meta && data.meta.title) || data.url;
  head.append(link);
  item.append(head);
  const facts = ["venue", "year"].flatMap((name) => (data.filters && data.filters[name]) || []);
  if (facts.length) {
    const meta = document.createElement("p");
    meta.className = "search-result-meta";
    meta.textContent = facts.join(" · ");
    item.append(meta);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "search-result-excerpt";
  excerpt.append(safeExcerpt(data.excerpt));
  item.append(excerpt);
  const subs = (data.sub_results || []).filter((s) => s.url !== data.url).slice(0, 3);
  if (subs.length) {
    const sublist = document.createElement("ul");
    sublist.className = "search-subresults";
    for (const sub of subs) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = sub.url;
      a.textContent = sub.title;
      const p = document.createElement("p");
      p.append(safeExcerpt(sub.excerpt));
      li.append(a, p);
      sublist.append(li);
    }
    item.append(sublist);
  }
  return item;
}

async function showMore(mine) {
  const batch = pending.splice(0, PAGE_SIZE);
  const datas = await Promise.all(batch.map((r) => r.data()));
  if (mine !== sequence) return;
  for (const data of datas) list.append(renderResult(data));
  more.hidden = pending.length === 0;
}

// Chinese is indexed a character at a time (papernotes/site/search_docs.py): the browser's word segmenter
// (ICU) and Pagefind's indexer (jieba) cut words differently -- 人脸 is one word to jieba, two to ICU -- and
// found nothing for everyday words. So a query's Chinese is searched as its characters too: a query that is
// Chinese only as the exact sequence ("人 脸"), a mixed one as each character.
const HAN = /\p{Script=Han}+/gu;

// An arXiv id is indexed as its two numbers (2203.08422 -> "2203", "08422"); searched whole, it matched
// every 2203.* paper. Its version (v2) is not part of what the sources agree on.
const ARXIV = /\b(\d{4})\.(\d{4,5})(?:v\d+)?\b/g;

function forIndex(raw) {
  const query = raw.replace(ARXIV, "$1 $2");
  if (!query.match(HAN)) return query;
  const quoted = /^\s*".*"\s*$/.test(query);
  const inner = quoted ? query.trim().slice(1, -1) : query;
  const spaced = inner.replace(HAN, (run) => ` ${[...run].join(" ")} `).replace(/\s+/g, " ").trim();
  const onlyHan = !inner.replace(HAN, "").trim();
  return quoted || onlyHan ? `"${spaced}"` : spaced;
}

async function run() {
  const mine = ++sequence;
  const query = input.value.trim();
  syncUrl(query);
  const filters = activeFilters();
  if (!pagefind) return;
  if (!query && !Object.keys(filters).length) {
    list.replaceChildren();
    more.hidden = true;
    pending = [];
    updateCounts(await pagefind.filters());
    say(text.prompt);
    return;
  }
  say(text.searching);
  const found = await pagefind.search(query ? forIndex(query) : null, { filters });
  if (mine !== sequence || !found) return;
  updateCounts(found.filters);
  list.replaceChildren();
  pending = found.results.slice();
  say(found.results.length ? format(text.count, { n: found.results.length, q: query })
                           : format(text.none, { q: query }));
  await showMore(mine);
}

let timer = 0;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(run, 200);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  run();
});
more.addEventListener("click", () => showMore(sequence));

async function start() {
  const params = new URLSearchParams(location.search);
  input.value = params.get(param) || "";
  try {
    const bundle = root.dataset.bundle;
    pagefind = await import(`${bundle}pagefind.js`);
    // pageLength 0.2 (Pagefind's default 0.75 favours short pages): a two-word author page ("Zhe Gan") no
    // longer comes before the papers whose titles say GAN; the documents weigh titles above names.
    await pagefind.options({ excerptLength: 30, ranking: { pageLength: 0.2 } });
    await pagefind.init();
    // A large site's index comes in several bundles (papernotes/search_index.py): merge the others.
    const parts = await fetch(`${bundle}bundles.json`).then((r) => (r.ok ? r.json() : []), () => []);
    const baseUrl = new URL("..", new URL(bundle, location.href)).pathname;
    for (const part of parts) await pagefind.mergeIndex(`${bundle}${part}`, { baseUrl });
  } catch (err) {
    pagefind = null;
    say(text.unavailable);
    return;
  }
  const all = await pagefind.filters();
  for (const name of Object.keys(all)) {
    const wanted = params.getAll(name).filter((v) => v in all[name]);
    if (wanted.length) selected[name] = new Set(wanted);
  }
  renderFilters(all);
  root.dataset.ready = "true";
  await run();
}

start();
