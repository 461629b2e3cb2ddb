// A "Print" button (data-print): the page's own print styles do the rest.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
