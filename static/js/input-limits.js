// What the server would refuse before any form could answer, checked before a form leaves
// the browser, so nothing typed is lost to a bare error page:
// - a file name too long for the upload (Django reads at most 1,024 bytes of one part's
//   headers, and the file name is one of them: the request is refused whole);
// - a text longer than its field's maxlength (the rich-text editor fills its textarea by
//   script, which the browser's own maxlength check does not stop).
// The server checks both again (submissions.forms.MAX_BODY_CHARS, templates/400.html).
(function () {
  var MAX_NAME_BYTES = 800;

  function bytes(text) {
    return new TextEncoder().encode(text).length;
  }

  function labelOf(field) {
    var label = field.id && document.querySelector('label[for="' + field.id + '"]');
    return label ? label.textContent.trim() : "内容";
  }

  function problemsOf(form) {
    var problems = [];
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) {
        if (bytes(file.name) > MAX_NAME_BYTES) {
          problems.push("文件名过长：“" + file.name.slice(0, 30) + "…”（" + file.name.length +
            " 个字符）。请把文件改成简短的名称后重新选择。");
        }
      });
    });
    form.querySelectorAll("textarea[maxlength], input[maxlength]").forEach(function (field) {
      var max = parseInt(field.getAttribute("maxlength"), 10);
      if (max && field.value.length > max) {
        problems.push(labelOf(field) + "太长：超过 " + max.toLocaleString("en") + " 个字符（现有 " +
          field.value.length.toLocaleString("en") + " 个），请删减。");
      }
    });
    return problems;
  }

  function show(form, problems) {
    var old = form.querySelector(".input-limits");
    if (old) old.remove();
    var list = document.createElement("ul");
    list.className = "messages input-limits";
    list.setAttribute("role", "alert");
    problems.forEach(function (text) {
      var item = document.createElement("li");
      item.className = "error";
      item.textContent = text;
      list.appendChild(item);
    });
    form.prepend(list);
    list.scrollIntoView({block: "center"});
  }

  // Capture phase on the document: before the form's own listeners (once-submit, htmx).
  document.addEventListener("submit", function (event) {
    var problems = problemsOf(event.target);
    if (problems.length) {
      event.preventDefault();
      event.stopImmediatePropagation();
      show(event.target, problems);
    }
  }, true);
})();
