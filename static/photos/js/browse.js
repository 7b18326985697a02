/* CKEditor's "Browse server" window: choosing a library image fills the image dialog. */
(function () {
  "use strict";

  function pick(button) {
    var main = document.querySelector("[data-ckeditor-func-num]");
    var funcNum = main && main.getAttribute("data-ckeditor-func-num");
    var opener = window.opener;
    if (!funcNum || !opener || !opener.CKEDITOR) {
      return;
    }
    var image = button.dataset;
    opener.CKEDITOR.tools.callFunction(Number(funcNum), image.url, function () {
      // Runs in the dialog that opened this window: the image's words come along.
      var dialog = this.getDialog();
      var alt = dialog.getContentElement("info", "alt");
      if (alt) {
        alt.setValue(image.alt);
      }
      var hasCaption = dialog.getContentElement("info", "hasCaption");
      if (hasCaption && image.caption) {
        hasCaption.setValue(true);
        dialog.getParentEditor().fire("portalLibraryCaption", image.caption);
      }
    });
    window.close();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick-image]");
    if (button) {
      pick(button);
    }
  });
})();
