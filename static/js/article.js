/* Reading tools on the article page: text size (remembered) and print. */
"use strict";
(function () {
    const KEY = "portal.articleFontStep";
    const MIN_STEP = -2;
    const MAX_STEP = 5;
    const STEP_REM = 0.125;
    const BASE_REM = 1.0625;
    const text = document.querySelector("[data-article-text]");
    if (!text) {
        return;
    }

    function readStep() {
        try {
            const step = parseInt(window.localStorage.getItem(KEY) || "0", 10);
            return Number.isNaN(step) ? 0 : Math.min(MAX_STEP, Math.max(MIN_STEP, step));
        } catch (error) {
            return 0;
        }
    }

    function apply(step) {
        text.style.setProperty("--article-font-size", BASE_REM + step * STEP_REM + "rem");
        text.dataset.fontStep = String(step);
    }

    let step = readStep();
    apply(step);

    document.querySelectorAll("[data-font-step]").forEach(function (button) {
        button.addEventListener("click", function () {
            const change = parseInt(button.dataset.fontStep, 10);
            step = Math.min(MAX_STEP, Math.max(MIN_STEP, step + change));
            apply(step);
            try {
                window.localStorage.setItem(KEY, String(step));
            } catch (error) {
                /* Private browsing: the size still applies to this page. */
            }
        });
    });

    document.querySelectorAll("[data-print]").forEach(function (button) {
        button.addEventListener("click", function () {
            window.print();
        });
    });
})();
