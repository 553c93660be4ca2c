// The house-style editor: typing in any field of the style form asks the server for the preview with
// the style as typed (rendered, never stored) and puts each field's problems at the field. Until the
// form is saved, leaving the page (an import, a preset, a link) asks first: what was typed would be lost.
// No inline handlers: the strict Content-Security-Policy allows only this file.
(() => {
  "use strict";
  const PREVIEW_DELAY = 400;
  let timer = null;
  let sequence = 0;

  const form = document.getElementById("style-form");
  const preview = document.getElementById("preview");
  const state = document.getElementById("style-state");
  const note = document.getElementById("preview-note");
  let dirty = false;
  if (!form || !preview) {
    return;
  }

  function showErrors(errors) {
    form.querySelectorAll("textarea, input").forEach((control) => {
      if (!control.name || control.type === "hidden") {
        return;
      }
      const messages = errors[control.name] || [];
      control.classList.toggle("is-invalid", messages.length > 0);
      control.parentElement.querySelectorAll(".invalid-feedback:not([id])").forEach((old) => old.remove());
      let feedback = document.getElementById(`${control.id}-error`);
      if (!feedback && messages.length > 0) {
        // A word field has no place for a message until it has one: it goes right after the field.
        feedback = document.createElement("div");
        feedback.className = "invalid-feedback";
        feedback.id = `${control.id}-error`;
        control.after(feedback);
        const described = control.getAttribute("aria-describedby");
        control.setAttribute("aria-describedby", described ? `${described} ${feedback.id}` : feedback.id);
      }
      if (feedback) {
        feedback.textContent = messages.join(" ");
      }
    });
  }

  async function refresh() {
    const mine = ++sequence;
    state.textContent = "Uppdaterar förhandsgranskningen…";
    let answer;
    try {
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      answer = await response.json();
    } catch {
      if (mine === sequence) {
        state.textContent = "Förhandsgranskningen kunde inte hämtas.";
      }
      return;
    }
    if (mine !== sequence) {
      return;
    }
    showErrors(answer.errors || {});
    if (Object.keys(answer.errors || {}).length > 0) {
      state.textContent = "Stilen har fel: se de markerade fälten.";
      return;
    }
    preview.innerHTML = answer.preview;
    if (note) {
      note.textContent = answer.note || "";
      note.hidden = !answer.note;
    }
    state.textContent = "Förhandsgranskningen visar stilen som den är skriven (inte sparad).";
  }

  form.addEventListener("input", () => {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(refresh, PREVIEW_DELAY);
  });
  form.addEventListener("submit", () => {
    dirty = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) {
      event.preventDefault();
      event.returnValue = ""; // older Chromium asks only when a value is set
    }
  });

  // Another meeting for the preview: asked for with the style as typed, so that nothing typed is lost
  // (without scripts the chooser's own form reloads the page).
  const chooser = document.getElementById("f-meeting");
  if (chooser && chooser.form) {
    const choose = (event) => {
      event.preventDefault();
      form.elements.meeting.value = chooser.value;
      const address = new URL(window.location.href);
      address.searchParams.set("meeting", chooser.value);
      window.history.replaceState(null, "", address);
      clearTimeout(timer);
      refresh();
    };
    chooser.form.addEventListener("submit", choose);
    chooser.addEventListener("change", choose);
  }
})();
