// The study page of evidence-tables' review: move between values and decide with the keyboard.
// j/k next/previous value, a accept, r reject, c correct (Enter saves), n note, u clear, ] next study.
(() => {
  "use strict";
  const cards = [...document.querySelectorAll("article.value[data-outcome]")];
  const marks = [...document.querySelectorAll("#abstract mark[data-outcome]")];
  let at = -1;

  function select(index, scroll = true) {
    if (!cards.length) return;
    at = Math.max(0, Math.min(cards.length - 1, index));
    const id = cards[at].dataset.outcome;
    cards.forEach((card, i) => card.classList.toggle("selected", i === at));
    marks.forEach((mark) => mark.classList.toggle("selected", mark.dataset.outcome === id));
    if (scroll) {
      cards[at].scrollIntoView({ block: "nearest" });
      const first = marks.find((mark) => mark.dataset.outcome === id);
      if (first) first.scrollIntoView({ block: "nearest" });
    }
    history.replaceState(null, "", "#v-" + id);
  }

  function decide(decision) {
    const button = cards[at] && cards[at].querySelector(`button[name=decision][value=${decision}]`);
    if (button) button.form.requestSubmit(button);
  }

  function correct() {
    if (!cards[at]) return;
    const details = cards[at].querySelector("details.correct");
    details.open = true;
    const field = details.querySelector("input, select");
    if (field) { field.focus(); if (field.select) field.select(); }
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, select, textarea")) {
      if (event.key === "Escape") target.blur();
      if (event.key === "Enter" && target.name === "note") event.preventDefault();  // a note alone decides nothing
      return;
    }
    const next = document.getElementById("next-study");
    const actions = {
      j: () => select(at + 1), k: () => select(at - 1), a: () => decide("accept"), r: () => decide("reject"),
      u: () => decide("clear"), c: correct, n: () => cards[at] && cards[at].querySelector("input[name=note]").focus(),
      "]": () => next && (window.location.href = next.href),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  cards.forEach((card, i) => card.addEventListener("click", () => select(i, false)));
  marks.forEach((mark) => mark.addEventListener("click", (event) => {
    event.stopPropagation();
    const i = cards.findIndex((card) => card.dataset.outcome === mark.dataset.outcome);
    if (i >= 0) select(i);
  }));

  const wanted = window.location.hash.startsWith("#v-") ? window.location.hash.slice(3) : null;
  const first = cards.findIndex((card) => card.dataset.outcome === wanted);
  const failed = cards.findIndex((card) => card.classList.contains("failed"));
  const open = cards.findIndex((card) => card.classList.contains("s-open"));
  if (failed >= 0) {
    select(failed);
    const field = cards[failed].querySelector("details.correct[open] input, input[name=note]");
    if (field) window.addEventListener("load", () => field.focus());  // after the browser places focus itself
  } else {
    select(first >= 0 ? first : Math.max(open, 0), first >= 0);
  }
})();
