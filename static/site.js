// The page furniture every page shares: the theme switch, copy buttons (citations, code blocks) with the
// code's language, the table of contents' scroll-spy, and back-to-top. Progressive enhancement only:
// without JavaScript a page is complete (the theme follows the system, code and citations are selectable
// text, the contents list is a plain list), and nothing here makes a control that would not work.
(() => {
  "use strict";
  const root = document.documentElement;

  // Theme: "system" (no data-theme), "light" or "dark"; kept in localStorage. base.html's inline script
  // sets data-theme before the first paint, so a reload does not flash the other theme.
  const THEMES = ["system", "light", "dark"];
  const THEME_LABEL = { system: "主题：跟随系统", light: "主题：浅色", dark: "主题：深色" };
  const THEME_ICON = { system: "◐", light: "☀", dark: "☾" };
  function storedTheme() {
    try {
      const t = localStorage.getItem("theme");
      return THEMES.includes(t) ? t : "system";
    } catch (err) {
      return "system";
    }
  }
  function applyTheme(theme, toggle) {
    if (theme === "system") delete root.dataset.theme;
    else root.dataset.theme = theme;
    toggle.textContent = THEME_ICON[theme];
    toggle.setAttribute("aria-label", THEME_LABEL[theme]);
    toggle.title = THEME_LABEL[theme];
    toggle.dataset.theme = theme;
    giscusTheme();
  }
  // Giscus comments (templates/_comments.html) follow the chosen theme, not only the system's.
  function giscusTheme() {
    const frame = document.querySelector("iframe.giscus-frame");
    const theme = root.dataset.theme || "preferred_color_scheme";
    if (frame) frame.contentWindow.postMessage({ giscus: { setConfig: { theme } } }, "https://giscus.app");
  }
  let giscusReady = false;
  window.addEventListener("message", (event) => {
    if (event.origin !== "https://giscus.app" || giscusReady) return;
    giscusReady = true; // its first message: the frame is there (told once, or a re-render would ask again)
    if (root.dataset.theme) giscusTheme();
  });
  document.querySelectorAll(".theme-toggle").forEach((toggle) => {
    applyTheme(storedTheme(), toggle);
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const next = THEMES[(THEMES.indexOf(toggle.dataset.theme) + 1) % THEMES.length];
      try {
        if (next === "system") localStorage.removeItem("theme");
        else localStorage.setItem("theme", next);
      } catch (err) {
        /* private mode: the choice lasts for this page */
      }
      applyTheme(next, toggle);
    });
  });

  // Copy: a button copies the text of its target (data-copy-target) or of the code block it sits in.
  async function copy(button, source) {
    const label = button.textContent;
    try {
      await navigator.clipboard.writeText(source.textContent);
      button.textContent = "已复制";
    } catch (err) {
      const range = document.createRange();
      range.selectNodeContents(source);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      button.textContent = "已选中，按 Ctrl+C";
    }
    setTimeout(() => {
      button.textContent = label;
    }, 2000);
  }
  document.querySelectorAll("[data-copy-target]").forEach((button) => {
    const target = document.getElementById(button.dataset.copyTarget);
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", () => copy(button, target));
  });
  document.querySelectorAll(".prose .highlight").forEach((block) => {
    const code = block.querySelector("code");
    if (!code) return;
    const bar = document.createElement("div");
    bar.className = "code-bar";
    const lang = [...block.classList].find((c) => c.startsWith("language-")); // pymdownx: pygments_lang_class
    if (lang) {
      const name = document.createElement("span");
      name.className = "code-lang";
      name.textContent = lang.slice("language-".length);
      bar.append(name);
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "复制";
    button.setAttribute("aria-label", lang ? `复制 ${lang.slice(9)} 代码` : "复制代码");
    button.addEventListener("click", () => copy(button, code));
    bar.append(button);
    block.prepend(bar);
  });

  // Table of contents: open beside the text on wide screens, folded above it on narrow ones; the entry of
  // the section being read is marked (aria-current) as the reader scrolls.
  const toc = document.querySelector(".page-toc");
  if (toc) {
    const details = toc.querySelector("details");
    const wide = window.matchMedia("(min-width: 75rem)");
    const fit = () => {
      details.open = wide.matches;
    };
    fit();
    wide.addEventListener("change", fit);
    const links = new Map();
    toc.querySelectorAll('a[href^="#"]').forEach((a) => {
      const heading = document.getElementById(decodeURIComponent(a.hash.slice(1)));
      if (heading) links.set(heading, a);
    });
    const headings = [...links.keys()];
    let current = null;
    const mark = () => {
      const line = parseFloat(getComputedStyle(root).scrollPaddingTop) || 0;
      let at = headings[0];
      for (const h of headings) {
        if (h.getBoundingClientRect().top - line <= 8) at = h;
        else break;
      }
      if (at === current) return;
      if (current) links.get(current).removeAttribute("aria-current");
      current = at;
      if (current) links.get(current).setAttribute("aria-current", "true");
    };
    let queued = false;
    window.addEventListener(
      "scroll",
      () => {
        if (queued) return;
        queued = true;
        requestAnimationFrame(() => {
          queued = false;
          mark();
        });
      },
      { passive: true },
    );
    mark();
  }

  // A box that scrolls sideways (a wide formula, table or code block on a phone) can be reached by keyboard.
  const SCROLLERS = ".math-display, .prose table, .prose pre, .copy-box pre, .chart-box";
  const reachable = () => {
    document.querySelectorAll(SCROLLERS).forEach((box) => {
      if (box.scrollWidth > box.clientWidth + 1) box.tabIndex = 0;
      else if (box.getAttribute("tabindex") === "0") box.removeAttribute("tabindex");
    });
  };
  reachable();
  let resized = null;
  window.addEventListener("resize", () => {
    clearTimeout(resized);
    resized = setTimeout(reachable, 200);
  });

  // Back to top: shown once the reader is a screen down.
  const top = document.querySelector(".back-to-top");
  if (top) {
    const show = () => {
      top.classList.toggle("shown", window.scrollY > window.innerHeight);
    };
    window.addEventListener("scroll", show, { passive: true });
    show();
  }
})();
