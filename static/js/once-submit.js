// A double click sends a form once (the server also refuses a second submit).
// A static file rather than an inline <script>: the Content-Security-Policy runs only
// scripts from our own static files.
document.querySelectorAll("form[data-once-submit]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
  });
});
