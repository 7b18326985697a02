/* Every public page: the menu button, the copy-link button, and the view beacon.
   No inline scripts: pages may be cached whole and served under a strict CSP. */
"use strict";
(function () {
    /* The menu: without JavaScript the "Menu" link opens it through :target;
       here it becomes a real toggle button with aria-expanded. */
    const toggle = document.querySelector("[data-menu-toggle]");
    const menu = document.getElementById("site-menu");
    if (toggle && menu) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = toggle.className;
        button.textContent = toggle.textContent;
        button.setAttribute("aria-controls", "site-menu");
        button.setAttribute("aria-expanded", "false");
        toggle.replaceWith(button);
        document.documentElement.classList.add("js-menu");

        const setOpen = function (open) {
            button.setAttribute("aria-expanded", String(open));
            menu.classList.toggle("is-open", open);
        };
        button.addEventListener("click", function () {
            const open = button.getAttribute("aria-expanded") !== "true";
            setOpen(open);
            if (open) {
                const first = menu.querySelector("a");
                if (first) {
                    first.focus();
                }
            }
        });
        menu.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && menu.classList.contains("is-open")) {
                setOpen(false);
                button.focus();
            }
        });
        menu.querySelectorAll(".menu-close a").forEach(function (link) {
            link.addEventListener("click", function (event) {
                event.preventDefault();
                setOpen(false);
                button.focus();
            });
        });
    }

    /* Copy link: the button is hidden until the clipboard can be reached. */
    document.querySelectorAll("[data-copy-link]").forEach(function (copy) {
        if (!navigator.clipboard) {
            return;
        }
        const status = document.querySelector(copy.dataset.copyStatus || "[data-copy-result]");
        copy.hidden = false;
        copy.addEventListener("click", function () {
            navigator.clipboard.writeText(copy.dataset.copyLink).then(function () {
                if (status) {
                    status.textContent = copy.dataset.copiedText || "";
                }
            });
        });
    });

    /* Native share sheet (phones), where the browser has one. */
    document.querySelectorAll("[data-share]").forEach(function (share) {
        if (!navigator.share) {
            return;
        }
        share.hidden = false;
        share.addEventListener("click", function () {
            navigator.share({ title: share.dataset.shareTitle, url: share.dataset.share }).catch(
                function () { /* The reader closed the sheet. */ }
            );
        });
    });

    /* One page view, reported after the page is shown: no cookie, nothing about the reader. */
    const script = document.currentScript;
    const endpoint = script && script.dataset.viewsUrl;
    if (endpoint && navigator.sendBeacon) {
        const data = new URLSearchParams();
        if (script.dataset.article) {
            data.set("article", script.dataset.article);
        }
        navigator.sendBeacon(endpoint, data);
    }
})();
