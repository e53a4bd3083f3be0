// Question pages: drop empty fields from the permalink, copy the link. Every value stays text.
"use strict";
(function () {
  const form = document.getElementById("ask-form");
  if (form) {
    form.addEventListener("submit", function () {
      for (const field of form.querySelectorAll("input, select")) {
        if (!field.value) field.disabled = true;  // a short, shareable query string
      }
    });
  }
  const copy = document.getElementById("copy-link");
  if (copy) {
    copy.addEventListener("click", async function () {
      try {
        await navigator.clipboard.writeText(copy.dataset.href);
        copy.textContent = "已复制";
      } catch (err) {
        copy.textContent = "请复制地址栏";
      }
    });
  }
})();
