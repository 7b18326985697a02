/* The article form: a local copy of what is typed (offered back after a crash
   or a refused save), a warning before leaving with unsaved changes, the word
   and character count of the body, and the live search and sharing preview. */
"use strict";
document.addEventListener("DOMContentLoaded", function () {
    const SUBMITTED = "portal.articleSubmitted";
    const autosave = document.getElementById("article-autosave");

    // After a save, the next page tells whether it went through.
    const submittedKey = window.sessionStorage.getItem(SUBMITTED);
    if (submittedKey) {
        window.sessionStorage.removeItem(SUBMITTED);
        if (!document.querySelector(".errornote")) {
            window.localStorage.removeItem(submittedKey);
        }
    }

    const form = document.getElementById("article_form");
    if (!form || !autosave) {
        return;
    }
    const key = autosave.dataset.key;
    const FIELDS = ["title", "slug", "lead", "author_name"];
    let initial = null;
    let submitting = false;

    function editor() {
        return window.CKEDITOR && window.CKEDITOR.instances.id_body;
    }

    function field(name) {
        return form.querySelector("#id_" + name);
    }

    function current() {
        const values = {};
        FIELDS.forEach(function (name) {
            const input = field(name);
            if (input) {
                values[name] = input.value;
            }
        });
        const body = editor();
        values.body = body ? body.getData() : (field("body") || {}).value || "";
        return values;
    }

    function differs(values, other) {
        return Object.keys(values).some(function (name) {
            return (values[name] || "").trim() !== (other[name] || "").trim();
        });
    }

    let timer = null;
    function changed() {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
            if (!differs(initial, current())) {
                return;
            }
            try {
                window.localStorage.setItem(
                    key, JSON.stringify({savedAt: Date.now(), values: current()})
                );
            } catch (error) {
                /* Storage full or private browsing: the form still works. */
            }
        }, 800);
        count();
        preview();
    }

    function offer(saved) {
        const when = new Date(saved.savedAt);
        const pad = function (n) { return String(n).padStart(2, "0"); };
        const time = pad(when.getHours()) + ":" + pad(when.getMinutes()) + " " +
            pad(when.getDate()) + "/" + pad(when.getMonth() + 1) + "/" + when.getFullYear();
        const banner = autosave.querySelector("[data-offer]");
        banner.querySelector("[data-time]").textContent = time;
        banner.hidden = false;
        banner.querySelector("[data-restore]").addEventListener("click", function () {
            Object.keys(saved.values).forEach(function (name) {
                if (name === "body" && editor()) {
                    editor().setData(saved.values.body);
                } else if (field(name)) {
                    field(name).value = saved.values[name];
                }
            });
            banner.hidden = true;
            changed();
        });
        banner.querySelector("[data-discard]").addEventListener("click", function () {
            window.localStorage.removeItem(key);
            banner.hidden = true;
        });
    }

    function start() {
        initial = current();
        let saved = null;
        try {
            saved = JSON.parse(window.localStorage.getItem(key) || "null");
        } catch (error) {
            saved = null;
        }
        if (saved && saved.values && differs(saved.values, current())) {
            offer(saved);
        }
        form.addEventListener("input", changed);
        form.addEventListener("change", changed);
        count();
        preview();
    }

    function withEditor(instance) {
        // CKEditor rewrites the stored HTML a little: what it shows is the baseline.
        if (initial.body.trim() === (field("body") || {}).value.trim()) {
            initial.body = instance.getData();
        }
        instance.on("change", changed);
        count();
    }

    // The word and character count under the body.
    const counter = autosave.querySelector("[data-count]");
    function count() {
        const box = document.createElement("div");
        box.innerHTML = current().body;
        const text = (box.textContent || "").replace(/\s+/g, " ").trim();
        const words = text ? text.split(" ").length : 0;
        counter.textContent = counter.dataset.template
            .replace("{words}", words).replace("{characters}", text.length);
        counter.hidden = !bodyRow;
    }
    const bodyRow = form.querySelector(".field-body");
    if (bodyRow) {
        bodyRow.appendChild(counter);
    }

    // How the article will look on Google, Facebook and Zalo, as it is typed.
    const share = document.querySelector("[data-share-preview]");
    function preview() {
        if (!share) {
            return;
        }
        const values = current();
        const title = values.title.trim() || "—";
        const description = values.lead.trim() || "—";
        share.querySelectorAll("[data-share-title]").forEach(function (node) {
            node.textContent = title;
        });
        share.querySelectorAll("[data-share-description]").forEach(function (node) {
            node.textContent = description;
        });
        if (values.slug !== undefined) {
            share.querySelector("[data-share-url]").textContent =
                share.dataset.urlPattern.replace("SLUG", values.slug.trim() || "…");
        }
        const list = share.querySelector("[data-share-warnings]");
        list.querySelectorAll("[data-live]").forEach(function (node) { node.remove(); });
        const warnings = [];
        if (values.title.length > Number(share.dataset.titleMax)) {
            warnings.push("title");
        }
        if (!values.lead.trim()) {
            warnings.push("empty");
        } else if (values.lead.length > Number(share.dataset.descriptionMax)) {
            warnings.push("description");
        }
        list.querySelectorAll("[data-server]").forEach(function (node) {
            node.hidden = ["title", "description", "empty"].includes(node.dataset.server);
        });
        warnings.forEach(function (name) {
            const item = document.createElement("li");
            item.dataset.live = name;
            item.textContent = share.querySelector("[data-warning-" + name + "]").content.textContent;
            list.appendChild(item);
        });
    }

    form.addEventListener("submit", function () {
        submitting = true;
        window.sessionStorage.setItem(SUBMITTED, key);
    });
    window.addEventListener("beforeunload", function (event) {
        if (initial && !submitting && differs(initial, current())) {
            event.preventDefault();
            event.returnValue = "";
        }
    });

    start();
    if (editor() && editor().status === "ready") {
        withEditor(editor());
    } else if (window.CKEDITOR) {
        window.CKEDITOR.on("instanceReady", function (event) {
            if (event.editor.name === "id_body") {
                withEditor(event.editor);
            }
        });
    }
});
