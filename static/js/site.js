/* Every public page: the accessibility toolbar, keyboard shortcuts, the menu button,
   the copy-link button, and the view beacon.
   No inline scripts: pages may be cached whole and served under a strict CSP. */
"use strict";
(function () {
    /* The accessibility toolbar: text size and contrast, applied and remembered by prefs.js. */
    const prefs = window.portalPrefs;
    if (prefs) {
        document.querySelectorAll("[data-text-change]").forEach(function (button) {
            button.addEventListener("click", function () {
                const change = button.dataset.textChange;
                if (change === "default") {
                    prefs.setTextStep(0);
                } else {
                    prefs.setTextStep(prefs.textStep() + (change === "larger" ? 1 : -1));
                }
            });
        });
        document.querySelectorAll("[data-contrast]").forEach(function (button) {
            button.setAttribute("aria-pressed", String(prefs.highContrast()));
            button.addEventListener("click", function () {
                const high = prefs.setHighContrast(!prefs.highContrast());
                button.setAttribute("aria-pressed", String(high));
            });
        });
    }

    /* Keyboard shortcuts: each is declared once, by the aria-keyshortcuts of its link or
       field (Alt+Shift+H: home, Alt+Shift+S: search, Alt+Shift+M: the site map). */
    const shortcuts = {};
    document.querySelectorAll("[aria-keyshortcuts]").forEach(function (target) {
        const keys = target.getAttribute("aria-keyshortcuts");
        shortcuts[keys] = shortcuts[keys] || target;
    });
    document.addEventListener("keydown", function (event) {
        if (!event.altKey || event.isComposing || event.defaultPrevented) {
            return;
        }
        // Where the reader types, Option+Shift+letter may be a character (macOS).
        if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) {
            return;
        }
        // The key's place, not its character: Alt and Shift change the character.
        const key = /^Key[A-Z]$/.test(event.code) ? event.code.slice(3) : event.key.toUpperCase();
        const pressed = [
            event.ctrlKey && "Control", "Alt", event.shiftKey && "Shift", event.metaKey && "Meta", key,
        ];
        const target = shortcuts[pressed.filter(Boolean).join("+")];
        if (!target) {
            return;
        }
        event.preventDefault();
        if (target.matches("input, textarea")) {
            target.focus();
            target.select();
        } else {
            target.click();
        }
    });

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
        menu.classList.add("js-menu");  /* On the menu, not <html>: no restyling of the whole page. */

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

    /* "Thống kê truy cập" in the footer: fetched when the footer comes near, since the
       page may come whole from a cache. The figures replace dashes in boxes of fixed
       size, so nothing moves. */
    const stats = document.querySelector("[data-stats-url]");
    if (stats && window.fetch) {
        const showStats = function () {
            /* Made here, not at load: a number format's locale data costs the first time. */
            const locale = document.documentElement.lang === "en" ? "en-US" : "vi-VN";
            const format = new Intl.NumberFormat(locale);
            fetch(stats.dataset.statsUrl, { headers: { Accept: "application/json" } })
                .then(function (response) {
                    return response.ok ? response.json() : Promise.reject(response.status);
                })
                .then(function (figures) {
                    /* Whoever reads this is online, even before their view is counted. */
                    if (typeof figures.online === "number") {
                        figures.online = Math.max(figures.online, 1);
                    }
                    stats.querySelectorAll("[data-stat]").forEach(function (cell) {
                        const value = figures[cell.dataset.stat];
                        if (typeof value === "number") {
                            cell.textContent = format.format(value);
                        }
                    });
                })
                .catch(function () { /* The dashes stay. */ });
        };
        if ("IntersectionObserver" in window) {
            const observer = new IntersectionObserver(function (entries) {
                if (entries.some(function (entry) { return entry.isIntersecting; })) {
                    observer.disconnect();
                    showStats();
                }
            }, { rootMargin: "200px" });
            observer.observe(stats);
        } else {
            showStats();
        }
    }
})();
