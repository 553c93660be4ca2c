// The § editor keeps what is typed. Typing in the § form updates the preview (rendered by the server,
// not stored) and saves the draft on its own, with the form's version as the optimistic lock; a line
// beside the button says "Sparar…", "Sparat hh.mm" or "Inte sparat". Every other in-page action
// (adding a motion, a vote, a recusal, …) first saves the § text, and anything typed in the other
// forms is put back after htmx replaces the editor. Leaving with unsaved text warns.
// No inline handlers: the strict Content-Security-Policy allows only this file.
(() => {
  "use strict";
  const PREVIEW_DELAY = 400;
  const SAVE_DELAY = 1500;
  let previewTimer = null;
  let saveTimer = null;
  let saving = null; // the save under way: a promise of its outcome, "saved", "invalid", "conflict" or "failed"
  let previewSequence = 0;
  let leaving = false;
  let conflict = null; // "sending" while the § form brings a conflict the draft save met

  const itemForm = () => document.getElementById("item-form");
  const stateLine = () => document.getElementById("draft-state");

  // A control's key, the same in the editor before and after htmx replaces it.
  function keyOf(control) {
    if (control.type === "checkbox" || control.type === "radio") {
      return `${control.name}=${control.value}`;
    }
    return control.id || control.name;
  }

  function controls(root) {
    return Array.from(root.querySelectorAll("input, textarea, select")).filter(
      (c) => c.name && c.type !== "hidden" && c.type !== "submit" && c.type !== "button" && !c.disabled,
    );
  }

  // What differs from what the server put in the page: the unsaved part of each control.
  function changed(control) {
    if (control.type === "checkbox" || control.type === "radio") {
      return control.checked !== control.defaultChecked;
    }
    if (control instanceof HTMLSelectElement) {
      // With no option marked selected in the page, a closed single select shows its first one.
      const defaults = Array.from(control.options, (o) => o.defaultSelected);
      if (!control.multiple && defaults.length > 0 && !defaults.includes(true)) {
        defaults[0] = true;
      }
      return Array.from(control.options).some((o, i) => o.selected !== defaults[i]);
    }
    return control.value !== control.defaultValue;
  }

  function valueOf(control) {
    if (control instanceof HTMLSelectElement) {
      return Array.from(control.selectedOptions, (o) => o.value);
    }
    return control.type === "checkbox" || control.type === "radio" ? control.checked : control.value;
  }

  function unsaved(root) {
    return root ? controls(root).filter(changed) : [];
  }

  function hasUnsaved() {
    const editor = document.getElementById("editor");
    return saving !== null || unsaved(editor).length > 0;
  }

  function setState(text, kind) {
    const line = stateLine();
    if (!line) {
      return;
    }
    line.textContent = text;
    line.dataset.state = kind;
  }

  function token(form) {
    const field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function post(url, form, body) {
    return fetch(url, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": token(form), Accept: "application/json" },
      credentials: "same-origin",
    });
  }

  function showRendered(data) {
    if (typeof data.preview === "string") {
      document.getElementById("preview").innerHTML = data.preview;
    }
    if (typeof data.checks === "string") {
      document.getElementById("checks").innerHTML = data.checks;
    }
  }

  // Each message at its field, as the server's forms show them; the old ones go.
  function showErrors(form, errors) {
    form.querySelectorAll(".draft-error").forEach((e) => e.remove());
    form.querySelectorAll(".is-invalid[data-draft-invalid]").forEach((c) => {
      c.classList.remove("is-invalid");
      c.removeAttribute("data-draft-invalid");
    });
    for (const [name, messages] of Object.entries(errors || {})) {
      const control = name ? form.querySelector(`[name="${CSS.escape(name)}"]`) : null;
      const note = document.createElement("div");
      note.className = "text-danger small mt-1 draft-error";
      note.textContent = messages.join(" ");
      if (control) {
        note.id = `${control.id || control.name}-draft-error`;
        control.classList.add("is-invalid");
        control.setAttribute("data-draft-invalid", "");
        control.setAttribute("aria-describedby", note.id);
        control.insertAdjacentElement("afterend", note);
      } else {
        form.prepend(note);
      }
    }
  }

  function preview() {
    const form = itemForm();
    if (!form) {
      return;
    }
    const sequence = ++previewSequence;
    post(form.dataset.previewUrl, form, new FormData(form))
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (data && sequence === previewSequence) {
          showRendered(data);
        }
      })
      .catch(() => {});
  }

  // Save the § text now, if it has unsaved changes; resolves to the outcome ("saved" when nothing is left).
  function save() {
    clearTimeout(saveTimer);
    if (saving) {
      return saving.then(() => save());
    }
    const form = itemForm();
    if (!form || unsaved(form).length === 0) {
      return Promise.resolve("saved");
    }
    const line = stateLine();
    const sent = controls(form).map((c) => [c, c.type === "checkbox" || c.type === "radio" ? c.checked : c.value]);
    setState(line.dataset.saving, "saving");
    saving = post(form.dataset.draftUrl, form, new FormData(form))
      .then((response) => response.json().then((data) => [response.status, data]))
      .then(([status, data]) => {
        if (status === 200) {
          // What was sent is now what is stored: it becomes the fields' saved value.
          for (const [control, value] of sent) {
            if (control.type === "checkbox" || control.type === "radio") {
              control.defaultChecked = value;
            } else if (control instanceof HTMLSelectElement) {
              for (const option of control.options) {
                option.defaultSelected = option.value === value;
              }
            } else {
              control.defaultValue = value;
            }
          }
          document.querySelectorAll("#editor input[name=version], #editor input[name=item-version]").forEach((v) => {
            v.value = String(data.version);
          });
          showErrors(form, {});
          showRendered(data);
          setState(data.message, "saved");
          return "saved";
        }
        setState(data.message || line.dataset.unsaved, "unsaved");
        if (status === 400) {
          showErrors(form, data.errors);
          return "invalid";
        }
        if (status === 409) {
          // Someone else saved the §: sent as it stands, the form brings the conflict with both texts.
          saving = null;
          conflict = "sending";
          form.requestSubmit(form.querySelector("button[type=submit]"));
          return "conflict";
        }
        return "failed";
      })
      .catch(() => {
        setState(line.dataset.failed, "unsaved");
        return "failed";
      })
      .finally(() => {
        saving = null;
      });
    // Typed while it was saving: that is saved next.
    return saving.then((outcome) => (outcome === "saved" && unsaved(form).length > 0 ? save() : outcome));
  }

  document.addEventListener("input", (event) => {
    const form = itemForm();
    if (!form || !form.contains(event.target)) {
      return;
    }
    setState(form.querySelector("#draft-state")?.dataset.unsaved || "", "unsaved");
    clearTimeout(previewTimer);
    previewTimer = setTimeout(preview, PREVIEW_DELAY);
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, SAVE_DELAY);
  });
  // Checkboxes and dates may change without an input event in some browsers.
  document.addEventListener("change", (event) => {
    const form = itemForm();
    if (form && form.contains(event.target)) {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, SAVE_DELAY);
    }
  });

  // Before another form of the editor is sent, the § text is saved, so that the version the form
  // carries is current and the § text is not shown as stored when it was not.
  document.addEventListener("htmx:confirm", (event) => {
    const form = itemForm();
    const source = event.detail.elt.closest("form");
    if (!form) {
      return;
    }
    clearTimeout(saveTimer);
    if (source === form) {
      if (conflict === "sending") {
        conflict = "sent";
        return;
      }
      if (conflict === "sent") {
        event.preventDefault(); // the same conflict is on its way already
        return;
      }
      // Saved by hand: after the draft under way, if any, so that it carries the version that saved.
      if (saving !== null) {
        event.preventDefault();
        saving.then(() => event.detail.issueRequest(true));
      }
      return;
    }
    if (unsaved(form).length === 0 && saving === null) {
      return;
    }
    event.preventDefault();
    save().then((outcome) => {
      // A conflict shows itself instead; a field in error stays as typed: it is put back after the swap.
      if (outcome !== "conflict") {
        event.detail.issueRequest(true);
      }
    });
  });

  // What is typed and not yet sent survives htmx putting a new editor in place of the old one: every
  // form but the one sent (the server answers for that one), and the § form unless the answer is a
  // conflict (which shows the typed text beside the stored one).
  let kept = null;
  document.addEventListener("htmx:beforeSwap", (event) => {
    const editor = document.getElementById("editor");
    if (!editor || event.detail.target !== editor) {
      return;
    }
    const sent = event.detail.requestConfig && event.detail.requestConfig.elt.closest("form");
    const conflict = /id="stale"/.test(event.detail.serverResponse || "");
    kept = unsaved(editor)
      .filter((c) => c.form !== sent && !(conflict && c.form === itemForm()))
      .map((c) => [keyOf(c), valueOf(c)]);
  });
  document.addEventListener("htmx:afterSwap", () => {
    conflict = null;
    const editor = document.getElementById("editor");
    if (!kept || !editor) {
      return;
    }
    const byKey = new Map(controls(editor).map((c) => [keyOf(c), c]));
    for (const [key, value] of kept) {
      const control = byKey.get(key);
      if (!control) {
        continue;
      }
      if (control instanceof HTMLSelectElement) {
        for (const option of control.options) {
          option.selected = value.includes(option.value);
        }
      } else if (control.type === "checkbox" || control.type === "radio") {
        control.checked = value;
      } else {
        control.value = value;
      }
    }
    const form = itemForm();
    if (form && stateLine() && unsaved(form).length > 0) {
      setState(stateLine().dataset.unsaved, "unsaved");
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, SAVE_DELAY);
    }
    kept = null;
  });

  // Leaving: a link on the page (the breadcrumb, the § list) first saves the § text; if that fails,
  // or other forms hold typed text, it asks. Any other way out gets the browser's own question.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    const target = new URL(link.href, location.href);
    if (target.pathname === location.pathname || !hasUnsaved()) {
      return;
    }
    event.preventDefault();
    save().then((outcome) => {
      const form = itemForm();
      const others = unsaved(document.getElementById("editor")).filter((c) => c.form !== form);
      const line = stateLine();
      if ((outcome === "saved" && others.length === 0) || window.confirm(line ? line.dataset.leave : "")) {
        leaving = true;
        location.href = link.href;
      }
    });
  });
  window.addEventListener("beforeunload", (event) => {
    if (!leaving && hasUnsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
