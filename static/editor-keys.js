// The § editor's keyboard, beside the access keys listed on the page: Control+Enter (Command+Enter
// on a Mac) in a text box saves its form, as Enter already does in a one-line field. A form whose
// button is disabled (a meeting that can no longer change) is not sent, as with Enter.
document.addEventListener("keydown", (event) => {
  const box = event.target;
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || !(box instanceof HTMLTextAreaElement)) {
    return;
  }
  const button = box.form && box.form.querySelector("button[type=submit], input[type=submit]");
  if (!button || button.disabled) {
    return;
  }
  event.preventDefault();
  box.form.requestSubmit(button);
});
