// Typeset the pages' maths with KaTeX, served from the site itself (assets/vendor/katex/, loaded
// before this file), so a page asks no other host for anything.
//
// Two kinds of page write maths two ways:
// - a Markdown page goes through Python-Markdown, whose pymdownx.arithmatex (generic mode) wraps
//   each formula in .arithmatex, as \( ... \) inline or \[ ... \] on its own line;
// - an example page is a notebook (mkdocs-jupyter): its Markdown cells keep $ ... $ and
//   $$ ... $$ as text, so KaTeX's auto-render looks for them there, in those cells alone, never
//   in code cells or in a run's output (which may print a dollar sign).
(function () {
  "use strict";

  var OPTIONS = { throwOnError: false }; // a typo shows as red source text, not a blank page
  var NOTEBOOK_CELLS = ".jp-MarkdownCell .jp-RenderedMarkdown";
  var DELIMITERS = [
    { left: "$$", right: "$$", display: true },
    { left: "$", right: "$", display: false },
  ];

  function arithmatex(element) {
    var tex = element.textContent.trim();
    var display = /^\\\[[\s\S]*\\\]$/.test(tex);
    tex = tex.replace(/^\\[([]/, "").replace(/\\[)\]]$/, "");
    window.katex.render(tex, element, Object.assign({ displayMode: display }, OPTIONS));
  }

  function typeset(root) {
    if (!window.katex) {
      return;
    }
    root.querySelectorAll(".arithmatex").forEach(function (element) {
      if (!element.querySelector(".katex")) {
        arithmatex(element);
      }
    });
    if (window.renderMathInElement) {
      root.querySelectorAll(NOTEBOOK_CELLS).forEach(function (cell) {
        window.renderMathInElement(cell, Object.assign({ delimiters: DELIMITERS }, OPTIONS));
      });
    }
  }

  // Material announces each page on document$ (every page, with instant navigation too);
  // without Material, the page is there once the document has loaded
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(function () { typeset(document.body); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { typeset(document.body); });
  } else {
    typeset(document.body);
  }
})();
