"use strict";
// Names for what the admin's scripts draw without one, on every admin page
// (templates/admin/base_site.html). Controls the server draws are named by
// core.forms.NamedBoundField; these are made in the browser:
// - select2's pickers (autocomplete fields): their box, the read-only text box
//   showing the value and the search field are named after the hidden <select>
//   they stand for;
// - the filter icons of the two-list pickers (filter_horizontal), whose spans
//   carry an aria-label without a role that allows one;
// - the empty header cells of inline tables, which are not headers.
(function () {
    function nameOf(select) {
        const own = select.getAttribute("aria-label");
        if (own) {
            return own;
        }
        const label = select.id && document.querySelector('label[for="' + select.id + '"]');
        return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
    }

    function name(element, text) {
        if (text && element.getAttribute("aria-label") !== text) {
            element.setAttribute("aria-label", text);
        }
    }

    function namePickers() {
        document.querySelectorAll("select.select2-hidden-accessible").forEach(function (select) {
            const picker = select.nextElementSibling;
            if (!picker || !picker.classList.contains("select2")) {
                return;
            }
            const text = nameOf(select);
            picker.querySelectorAll(".select2-selection").forEach(function (box) {
                // The chosen value stays announced, as the box's description.
                const shown = box.querySelector(".select2-selection__rendered");
                box.removeAttribute("aria-labelledby");
                if (shown && shown.id) {
                    box.setAttribute("aria-describedby", shown.id);
                }
                name(box, text);
                // select2 makes the value a read-only text box of its own: named alike.
                if (shown && shown.getAttribute("role") === "textbox") {
                    name(shown, text);
                }
            });
            picker.querySelectorAll(".select2-search__field").forEach(function (field) {
                name(field, text);
            });
        });
        // The search box of an open picker's list, drawn at the end of the page.
        document.querySelectorAll(".select2-dropdown .select2-search__field").forEach(function (field) {
            const list = (field.getAttribute("aria-controls") || "").match(/^select2-(.+)-results$/);
            const select = list && document.getElementById(list[1]);
            if (select) {
                name(field, nameOf(select));
            }
        });
    }

    function fixIcons() {
        document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
            icon.setAttribute("role", "img");
        });
    }

    function fixEmptyHeaders() {
        document.querySelectorAll(".inline-group thead th").forEach(function (header) {
            if (header.textContent.trim() === "" && !header.querySelector("img, [aria-label]")) {
                const cell = document.createElement("td");
                cell.className = header.className;
                header.replaceWith(cell);
            }
        });
    }

    function fix() {
        namePickers();
        fixIcons();
        fixEmptyHeaders();
    }

    let pending = false;
    function soon() {
        if (!pending) {
            pending = true;
            window.requestAnimationFrame(function () {
                pending = false;
                fix();
            });
        }
    }

    document.addEventListener("DOMContentLoaded", function () {
        fix();
        // select2 draws its pickers after the page, and again for each inline row added.
        new MutationObserver(soon).observe(document.body, {childList: true, subtree: true});
    });
    window.addEventListener("load", fix);
}());
