/* Reading tools on the article page: print (the text size is the toolbar's, in site.js). */
"use strict";
(function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
        button.addEventListener("click", function () {
            window.print();
        });
    });
})();
