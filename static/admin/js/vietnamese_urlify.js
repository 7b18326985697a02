/* Fold Vietnamese before Django's URLify makes a slug, the way the server's
   slugify_vi does: "Công tác Đoàn" gives "cong-tac-doan", not "cng-tc-djoan". */
"use strict";
(function () {
    const djangoUrlify = window.URLify;
    if (!djangoUrlify) {
        return;
    }
    function foldVietnamese(text) {
        return text
            .replace(/đ/g, "d")
            .replace(/Đ/g, "D")
            .replace(/[\u2010-\u2015\u2212]/g, "-")
            .normalize("NFD")
            .replace(/[\u0300-\u036f]/g, "");
    }
    window.URLify = function (text, maxLength, allowUnicode) {
        return djangoUrlify(foldVietnamese(text), maxLength, allowUnicode);
    };
})();
