// Buttons marked data-print print the page (no inline handlers: the Content Security Policy
// allows scripts from this site's files only).
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});
