// A wide table, diagram or formula on a narrow screen scrolls inside its own box (Material wraps
// every table in .md-typeset__scrollwrap; the pages wrap each diagram in .diagram-scroll, which
// keeps its text legible on a phone; a displayed formula scrolls in div.arithmatex, or in its
// .katex-display on a notebook page); the page itself never scrolls sideways. This marks each
// box that actually overflows, so the stylesheet can show a visible cue under it, and drops the
// mark once the reader has scrolled to the end. Written by hand: no library does only this, and
// the cue has to follow the width of the screen, which CSS alone cannot test.
(function () {
  "use strict";

  function mark(box) {
    var wide = box.scrollWidth > box.clientWidth + 1;
    var atEnd = box.scrollLeft + box.clientWidth >= box.scrollWidth - 1;
    box.classList.toggle("whygpu-scrolls", wide && !atEnd);
  }

  function init() {
    var boxes = document.querySelectorAll(".md-typeset__scrollwrap, .diagram-scroll, " +
      "div.arithmatex, .jp-RenderedMarkdown .katex-display");
    boxes.forEach(function (box) {
      mark(box);
      box.addEventListener("scroll", function () { mark(box); }, { passive: true });
    });
    window.addEventListener("resize", function () { boxes.forEach(mark); });
  }

  // Material wraps the tables as it mounts the page; its document$ says when that is done (and
  // katex-init.js, subscribed to it too, has typeset the formulas by the time this runs)
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(function () { setTimeout(init, 0); });
  } else {
    window.addEventListener("load", init);
  }
})();
