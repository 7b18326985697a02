/*
 * The portal's additions to CKEditor 4's image tools (image2 and the file browser):
 * - every upload carries Django's CSRF token, in the X-CSRFToken header;
 * - the image dialog says "alternative text" for alt, which it requires, and the
 *   caption (image2's captioned figure) is a separate, visible line;
 * - an image chosen from the photo library brings its alt text and caption;
 * - images pasted as data (from the clipboard, not uploaded) are refused with a
 *   message, so every body image is a library file with alt text.
 * Texts come from the Django catalogue through config.portalImages.
 */
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) {
      return input.value;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  CKEDITOR.plugins.add("portalimages", {
    requires: "image2,filetools,notification",

    init: function (editor) {
      var texts = editor.config.portalImages || {};
      var image2 = editor.lang.image2;
      var placeholder = texts.captionPlaceholder || image2.captionPlaceholder;
      image2.alt = texts.altLabel || image2.alt;
      image2.captioned = texts.captionedLabel || image2.captioned;
      image2.captionPlaceholder = placeholder;

      // Between filetools opening the request (priority 5) and sending it (999).
      editor.on(
        "fileUploadRequest",
        function (event) {
          event.data.fileLoader.xhr.setRequestHeader("X-CSRFToken", csrfToken());
        },
        null,
        null,
        100
      );

      // A library image's caption becomes the text of the figure's caption.
      editor.on("portalLibraryCaption", function (event) {
        image2.captionPlaceholder = CKEDITOR.tools.htmlEncode(event.data);
        var dialog = CKEDITOR.dialog.getCurrent();
        if (dialog) {
          dialog.once("hide", function () {
            image2.captionPlaceholder = placeholder;
          });
        }
      });

      editor.on("paste", function (event) {
        var html = event.data.dataValue || "";
        var cleaned = html.replace(/<img\b[^>]*\bsrc\s*=\s*["']?data:[^>]*>/gi, "");
        if (cleaned !== html) {
          event.data.dataValue = cleaned;
          editor.showNotification(texts.pastedImage || "", "warning", 8000);
        }
      });
    }
  });

  CKEDITOR.on("dialogDefinition", function (event) {
    if (event.data.name !== "image2") {
      return;
    }
    var texts = event.editor.config.portalImages || {};
    var alt = event.data.definition.getContents("info").get("alt");
    if (alt) {
      alt.validate = CKEDITOR.dialog.validate.notEmpty(texts.altMissing || "");
    }
  });
})();
