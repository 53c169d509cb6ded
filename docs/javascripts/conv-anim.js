/* The convolution animation: outputs computed one at a time (one core) beside all at once
   (one thread per output). Both panels run on one clock, shown under them, so the 16 steps on
   the left play out beside the single step on the right; the output being computed is
   highlighted, with the input window it reads. Plain SVG and JavaScript, no library. It starts
   paused for readers who ask for reduced motion, and always has a play/pause button and a step
   button. The frame and what each panel is computing are exposed as data- attributes on the
   figure, so the site test can watch them. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var N = 6;          // input is N x N
  var K = 3;          // filter is K x K
  var M = N - K + 1;  // output is M x M
  var CELL = 26;
  var TICK_MS = 450;

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    if (parent) parent.appendChild(node);
    return node;
  }

  function grid(svg, x0, y0, n, cls, label) {
    var cells = [];
    for (var i = 0; i < n; i++) {
      for (var j = 0; j < n; j++) {
        cells.push(el("rect", {
          x: x0 + j * CELL, y: y0 + i * CELL, width: CELL - 2, height: CELL - 2,
          rx: 3, "class": cls
        }, svg));
      }
    }
    var text = el("text", {x: x0, y: y0 - 8, "font-size": 13}, svg);
    text.textContent = label;
    return cells;
  }

  function panel(svg, x0, title) {
    var heading = el("text", {x: x0, y: 22, "font-size": 15, "font-weight": "bold"}, svg);
    heading.textContent = title;
    var input = grid(svg, x0, 56, N, "d-fill-2", "input");
    var outX = x0 + N * CELL + 40;
    var output = grid(svg, outX, 56 + CELL * (K - 1) / 2, M, "d-box", "output");
    var windows = [];
    var status = el("text", {x: x0, y: 56 + N * CELL + 28, "font-size": 13}, svg);
    return {input: input, output: output, windows: windows, status: status, x0: x0};
  }

  function windowRect(svg, p, o) {
    var i = Math.floor(o / M), j = o % M;
    return el("rect", {
      x: p.x0 + j * CELL - 2, y: 56 + i * CELL - 2, width: K * CELL + 2, height: K * CELL + 2,
      rx: 4, "class": "conv-anim-window"
    }, svg);
  }

  function build(figure) {
    var stage = figure.querySelector(".conv-anim-stage");
    var width = 2 * (N * CELL + 40 + M * CELL) + 70;
    var svg = el("svg", {
      viewBox: "0 0 " + width + " " + (56 + N * CELL + 66),
      role: "img",
      "aria-label": "Animation: on the left a single core computes the " + M * M +
        " outputs of a 3 x 3 convolution one after another; on the right one thread per " +
        "output computes all of them in the same step."
    });
    stage.appendChild(svg);
    var half = N * CELL + 40 + M * CELL + 70;
    var left = panel(svg, 4, "One at a time (one core)");
    var right = panel(svg, half, "All at once (one thread per output)");
    var total = M * M;
    var clock = el("text", {
      x: width / 2, y: 56 + N * CELL + 56, "font-size": 14, "font-weight": "bold",
      "text-anchor": "middle"
    }, svg);
    var frames = total + 4;  // the last frames hold the finished state before looping
    var frame = 0;
    var timer = null;
    var leftWindow = null;
    var rightWindows = [];

    function draw() {
      // Frame 0 is the empty start; frame f (1..total) is step f; later frames hold the end.
      var doneLeft = Math.min(frame, total);
      if (leftWindow) leftWindow.remove();
      leftWindow = frame >= 1 && frame <= total ? windowRect(svg, left, frame - 1) : null;
      var current = frame >= 1 && frame <= total ? frame - 1 : -1;
      left.output.forEach(function (c, o) {
        c.setAttribute("class", o === current ? "conv-anim-current" :
          o < doneLeft ? "d-fill-3" : "d-box");
      });
      left.status.textContent = frame === 0 ? "ready" :
        "step " + doneLeft + ": " + doneLeft + " of " + total + " outputs done";
      rightWindows.forEach(function (w) { w.remove(); });
      rightWindows = [];
      if (frame === 1) {
        for (var o = 0; o < total; o++) rightWindows.push(windowRect(svg, right, o));
      }
      right.output.forEach(function (c) {
        c.setAttribute("class", frame === 1 ? "conv-anim-current" :
          frame >= 1 ? "d-fill-3" : "d-box");
      });
      right.status.textContent = frame === 0 ? "ready" :
        "step 1: all " + total + " outputs done" + (frame > 1 ? ", then idle" : "");
      clock.textContent = frame === 0 ? "clock: ready" :
        "clock: step " + Math.min(frame, total) + " of " + total + " for one core" +
        (frame > total ? " (done)" : "");
      figure.setAttribute("data-frame", String(frame));
      figure.setAttribute("data-left-computing", String(current));
      figure.setAttribute("data-right-computing", String(frame === 1 ? total : 0));
    }

    function step() { frame = (frame + 1) % frames; draw(); }
    function play() {
      if (timer) return;
      timer = window.setInterval(step, TICK_MS);
      figure.setAttribute("data-playing", "true");
      button.textContent = "Pause";  // the label says what a press does: no aria-pressed
    }
    function pause() {
      window.clearInterval(timer);
      timer = null;
      figure.setAttribute("data-playing", "false");
      button.textContent = "Play";
    }

    var controls = document.createElement("div");
    controls.className = "conv-anim-controls";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button";
    button.addEventListener("click", function () { if (timer) pause(); else play(); });
    var stepper = document.createElement("button");
    stepper.type = "button";
    stepper.className = "md-button";
    stepper.textContent = "Step";
    stepper.addEventListener("click", function () { pause(); step(); });
    controls.appendChild(button);
    controls.appendChild(stepper);
    stage.appendChild(controls);

    var reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    figure.setAttribute("data-reduced-motion", String(reduced));
    if (reduced) {
      frame = Math.floor(total / 2);  // a telling still: half done on the left, all on the right
      draw();
      pause();
    } else {
      draw();
      play();
    }
  }

  function init() {
    document.querySelectorAll("figure.conv-anim:not([data-ready])").forEach(function (figure) {
      figure.setAttribute("data-ready", "true");
      build(figure);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
