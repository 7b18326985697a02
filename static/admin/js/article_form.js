/* The article form: a local copy of what is typed, one per article, category, times
   and photo rows included (offered back after a crash or a refused save), a warning
   before leaving with unsaved changes, the word and character count of the body, and
   the live search and sharing preview. */
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
    // One copy per article: an article's id, or for a new one the draft key its form
    // carries (kept through a refused save), so several new articles never share one.
    const prefix = autosave.dataset.prefix;
    const NEW = prefix + "new:";
    const draftKey = form.querySelector("[name=draft_key]");
    let key = autosave.dataset.article
        ? prefix + autosave.dataset.article
        : NEW + (draftKey ? draftKey.value : "");
    // Every box an editor fills in, photo rows included; not the form's bookkeeping.
    const SKIPPED = /^(csrfmiddlewaretoken|edit_version|backdate_confirmed|draft_key|workflow_action|workflow_comment|.*-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS|.*-(id|article|upload|DELETE))$/;
    let initial = null;
    let submitting = false;

    function editor() {
        return window.CKEDITOR && window.CKEDITOR.instances.id_body;
    }

    function field(name) {
        return form.querySelector("#id_" + name);
    }

    function kept() {
        return Array.from(form.elements).filter(function (input) {
            return input.name && !input.name.includes("__prefix__") && !SKIPPED.test(input.name) &&
                !["file", "submit", "button"].includes(input.type) && !input.disabled;
        });
    }

    function current() {
        const values = {};
        kept().forEach(function (input) {
            if (input.type === "checkbox") {
                values[input.name] = input.checked ? "on" : "";
            } else if (input.type !== "radio" || input.checked) {
                values[input.name] = input.value;
            }
        });
        const body = editor();
        values.body = body ? body.getData() : values.body || "";
        return values;
    }

    // What a chosen option reads (a library image's caption), to show it again.
    function labels() {
        const shown = {};
        kept().forEach(function (input) {
            if (input.tagName === "SELECT" && input.value && input.selectedIndex >= 0) {
                shown[input.name] = input.options[input.selectedIndex].text;
            }
        });
        return shown;
    }

    function differs(values, other) {
        return Object.keys({...values, ...other}).some(function (name) {
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
                window.localStorage.setItem(key, JSON.stringify(
                    {savedAt: Date.now(), values: current(), labels: labels()}
                ));
            } catch (error) {
                /* Storage full or private browsing: the form still works. */
            }
        }, 800);
        count();
        preview();
    }

    function addPhotoRows(values) {
        const total = form.querySelector("[name=photos-TOTAL_FORMS]");
        const more = document.querySelector("#photos-group .add-row a");
        const needed = Object.keys(values).reduce(function (most, name) {
            const row = /^photos-(\d+)-/.exec(name);
            return row ? Math.max(most, Number(row[1]) + 1) : most;
        }, 0);
        while (total && more && Number(total.value) < needed) {
            more.click();
        }
    }

    function restore(saved) {
        addPhotoRows(saved.values);
        Object.keys(saved.values).forEach(function (name) {
            const value = saved.values[name];
            const input = form.elements.namedItem(name);
            if (name === "body" && editor()) {
                editor().setData(value);
            } else if (!input || input instanceof RadioNodeList) {
                return;
            } else if (input.type === "checkbox") {
                input.checked = value === "on";
            } else if (input.tagName === "SELECT") {
                // An autocomplete (the photo library) has only the chosen option.
                if (value && !Array.from(input.options).some(function (o) { return o.value === value; })) {
                    input.add(new Option((saved.labels || {})[name] || value, value));
                }
                input.value = value;
                if (window.django && window.django.jQuery) {
                    window.django.jQuery(input).trigger("change");
                }
            } else {
                input.value = value;
            }
        });
    }

    function when(savedAt) {
        const moment = new Date(savedAt);
        const pad = function (n) { return String(n).padStart(2, "0"); };
        return pad(moment.getHours()) + ":" + pad(moment.getMinutes()) + " " +
            pad(moment.getDate()) + "/" + pad(moment.getMonth() + 1) + "/" + moment.getFullYear();
    }

    // Offer a kept copy back: this article's own, or, on a new article's form, each new
    // article's copy not saved yet (one per tab that was typing).
    const template = autosave.querySelector("template[data-offer-template]");
    const offers = [];
    function offer(copyKey, saved) {
        const banner = template.content.firstElementChild.cloneNode(true);
        banner.querySelector("[data-time]").textContent = when(saved.savedAt);
        banner.querySelector("[data-title]").textContent = (saved.values.title || "").trim() || "…";
        template.before(banner);
        offers.push(banner);
        banner.querySelector("[data-restore]").addEventListener("click", function () {
            if (copyKey !== key && draftKey) {
                // This form goes on with that copy: it is replaced as typing goes on.
                key = copyKey;
                draftKey.value = copyKey.slice(NEW.length);
            }
            restore(saved);
            offers.forEach(function (other) { other.hidden = true; });
            changed();
        });
        banner.querySelector("[data-discard]").addEventListener("click", function () {
            window.localStorage.removeItem(copyKey);
            banner.hidden = true;
        });
    }

    function read(copyKey) {
        try {
            const saved = JSON.parse(window.localStorage.getItem(copyKey) || "null");
            return saved && saved.values ? saved : null;
        } catch (error) {
            return null;
        }
    }

    function start() {
        initial = current();
        const own = read(key);
        if (own && differs(own.values, current())) {
            offer(key, own);
        } else if (key.startsWith(NEW)) {
            const others = [];
            for (let index = 0; index < window.localStorage.length; index += 1) {
                const name = window.localStorage.key(index);
                const saved = name.startsWith(NEW) && name !== key ? read(name) : null;
                if (saved) {
                    others.push([name, saved]);
                }
            }
            others.sort(function (a, b) { return b[1].savedAt - a[1].savedAt; })
                .forEach(function (other) { offer(other[0], other[1]); });
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
