/* Accessibility glue that templates alone cannot give (loaded on every page, no-op elsewhere).

   1. The rich-text editor (django-prose-editor 0.28) draws a contenteditable with
      role="textbox" but no accessible name, and its toolbar buttons are labelled in English
      ("bold", "unordered list"). The package has no setting for either, so this names the
      editable after the field's <label> (and carries over the textarea's aria-describedby /
      aria-invalid, i.e. the help text and the errors), translates the toolbar labels, and
      makes a click on the label focus the editor.
   2. Regions that HTMX refreshes by polling (render status, delivery progress) sit inside a
      stable live region (role="status") in the page; a poll that brings back the same
      content is not swapped in, so a screen reader speaks only when something changed.
   3. The editor's dialogs (link, table, list, HTML source) take their words from
      window.gettext if it exists when editor.js loads. This deferred classic script runs
      before the editor's module script, so defining it here puts the dialogs in Chinese. */
(function () {
  "use strict";

  var DIALOG = {
    "Add caption": "添加图注", "Alternative Text": "替代文字", "Browse...": "浏览…",
    "Bullets": "项目符号", "Cancel": "取消", "Caption": "图注", "Columns": "列数",
    "Decimal numbers": "阿拉伯数字", "Edit Figure": "编辑图片", "Edit HTML": "编辑 HTML",
    "Edit Image": "编辑图片", "Edit Link": "编辑链接", "Image URL": "图片地址",
    "Include header row": "第一行为表头", "Insert Figure": "插入图片",
    "Insert Table": "插入表格", "Insert": "插入", "List properties": "列表设置",
    "List type": "列表类型", "Lowercase Roman numerals": "小写罗马数字",
    "Lowercase letters": "小写字母", "Open in new window": "在新窗口打开",
    "Prettify": "整理格式", "Remove caption": "删除图注", "Rows": "行数",
    "Start at": "起始编号", "Table Properties": "表格设置", "Title": "标题",
    "The HTML contents of the editor. Note that the allowed HTML is restricted by the editor schema.":
      "编辑器内容的 HTML 源代码。只保留编辑器支持的标记，其余的会被去掉。",
    "Toggle fullscreen": "全屏", "URL": "网址", "Update": "确定",
    "Uppercase Roman numerals": "大写罗马数字", "Uppercase letters": "大写字母"
  };
  if (!window.gettext) {
    window.gettext = function (text) { return DIALOG[text] || text; };
  }

  var LABELS = {
    "paragraph": "段落", "heading 1": "标题 1", "heading 2": "标题 2", "heading 3": "标题 3",
    "heading 4": "小标题", "heading 5": "标题 5", "heading 6": "标题 6",
    "unordered list": "项目符号列表", "ordered list": "编号列表", "list properties": "列表设置",
    "blockquote": "引用", "bold": "加粗", "italic": "斜体", "underline": "下划线",
    "strike": "删除线", "subscript": "下标", "superscript": "上标", "code": "代码",
    "insert link": "插入链接", "remove link": "取消链接", "insert table": "插入表格",
    "add column": "在右侧插入列", "delete column": "删除列", "add row": "在下方插入行",
    "delete row": "删除行", "merge cells": "合并单元格", "split cell": "拆分单元格",
    "toggle header cell": "切换表头单元格", "toggle header row": "切换表头行",
    "toggle header column": "切换表头列", "table properties": "表格设置",
    "delete table": "删除表格", "undo": "撤销", "redo": "重做", "image": "插入图片",
    "insert image": "插入图片", "horizontal rule": "分隔线", "hard break": "换行",
    "html": "编辑 HTML", "edit html": "编辑 HTML", "fullscreen": "全屏",
    "toggle fullscreen": "全屏", "align left": "左对齐", "align center": "居中",
    "align right": "右对齐", "justify": "两端对齐", "styles": "样式"
  };

  function zh(text) {
    var key = (text || "").trim().toLowerCase();
    return LABELS[key] || null;
  }

  function translate(root) {
    root.querySelectorAll("[aria-label], [title]").forEach(function (el) {
      ["aria-label", "title"].forEach(function (name) {
        var value = zh(el.getAttribute(name));
        if (value) el.setAttribute(name, value);
      });
    });
    // The block-type picker shows its choices as text ("Heading 4", "Paragraph").
    root.querySelectorAll(".prose-menubar__option > *").forEach(function (el) {
      var value = zh(el.textContent);
      if (value) el.textContent = value;
    });
  }

  function nameEditor(box) {
    var editable = box.querySelector(".ProseMirror[contenteditable]");
    var textarea = box.querySelector("textarea");
    if (!editable || !textarea || editable.dataset.a11y) return;
    editable.dataset.a11y = "1";
    var label = textarea.id && document.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      if (!label.id) label.id = textarea.id + "_label";
      editable.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { editable.focus(); });
    } else if (textarea.getAttribute("aria-label")) {
      editable.setAttribute("aria-label", textarea.getAttribute("aria-label"));
    }
    editable.setAttribute("aria-multiline", "true");
    ["aria-describedby", "aria-invalid", "aria-required"].forEach(function (name) {
      if (textarea.hasAttribute(name)) editable.setAttribute(name, textarea.getAttribute(name));
    });
  }

  // A dialog's yes/no choice shows its value ("Yes"/"No"): keep the value, show Chinese.
  var CHOICES = { "Yes": "是", "No": "否" };

  function translateChoices() {
    document.querySelectorAll("dialog option").forEach(function (option) {
      var value = CHOICES[option.textContent];
      if (!value) return;
      if (!option.hasAttribute("value")) option.setAttribute("value", option.textContent);
      option.textContent = value;
    });
  }

  function scan() {
    translateChoices();
    document.querySelectorAll(".prose-editor").forEach(nameEditor);
    // The toolbar is drawn after the editable and redrawn as the selection moves.
    document.querySelectorAll(".prose-menubar").forEach(function (bar) {
      if (!bar.hasAttribute("role")) {
        bar.setAttribute("role", "group");
        bar.setAttribute("aria-label", "正文格式");
      }
      translate(bar);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    scan();
    // The editor is an ES module that starts after this script: watch for it.
    new MutationObserver(scan).observe(document.body, { childList: true, subtree: true });
  });

  function sameState(a, b) {
    var text = function (el) { return el.textContent.replace(/\s+/g, " ").trim(); };
    if (text(a) !== text(b) || a.hasAttribute("hx-get") !== b.hasAttribute("hx-get")) return false;
    return Object.keys(a.dataset).every(function (key) { return a.dataset[key] === b.dataset[key]; });
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.closest("[role=status], [aria-live]")) return;
    if (!event.detail.xhr || event.detail.xhr.status !== 200) return;
    var template = document.createElement("template");
    template.innerHTML = (event.detail.serverResponse || "").trim();
    var fresh = template.content.firstElementChild;
    if (fresh && fresh.id === target.id && sameState(fresh, target)) {
      event.detail.shouldSwap = false;
    }
  });
})();
