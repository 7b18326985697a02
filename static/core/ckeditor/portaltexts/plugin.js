/*
 * Texts CKEditor 4's Vietnamese catalogue leaves in English (the link dialog's phone
 * and download options, the Format list's headings, the upload messages, the editor's
 * own name), replaced by the portal's translations. They come from the Django
 * catalogue through config.portalTexts, shaped like editor.lang:
 * {"link": {"toPhone": "Điện thoại"}, ...}.
 */
(function () {
  "use strict";

  function merge(target, texts) {
    Object.keys(texts).forEach(function (key) {
      var text = texts[key];
      if (text && typeof text === "object") {
        // editor.lang shares its groups with every editor on the page: copy before changing.
        target[key] = merge(CKEDITOR.tools.extend({}, target[key] || {}), text);
      } else {
        target[key] = text;
      }
    });
    return target;
  }

  CKEDITOR.plugins.add("portaltexts", {
    // Before any plugin's init reads its texts to draw buttons, lists and dialogs.
    beforeInit: function (editor) {
      merge(editor.lang, editor.config.portalTexts || {});
      // The editor's name for screen readers was read from the catalogue already.
      if (typeof editor.config.applicationTitle !== "string") {
        editor.applicationTitle = [editor.lang.application, editor.name].join(", ");
      }
    }
  });
})();
