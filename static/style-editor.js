// The house-style editor: typing in any field of the style form asks the server for the preview with
// the style as typed (rendered, never stored) and puts each template's problems at its field.
// No inline handlers: the strict Content-Security-Policy allows only this file.
(() => {
  "use strict";
  const PREVIEW_DELAY = 400;
  let timer = null;
  let sequence = 0;

  const form = document.getElementById("style-form");
  const preview = document.getElementById("preview");
  const state = document.getElementById("style-state");
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
      const feedback = document.getElementById(`${control.id}-error`);
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
    state.textContent = "Förhandsgranskningen visar stilen som den är skriven (inte sparad).";
  }

  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, PREVIEW_DELAY);
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
