/* The reader's remembered text size and contrast, applied before the page is drawn.
   Loaded without defer in <head>, so it only touches <html>; site.js wires the toolbar. */
"use strict";
(function () {
    const root = document.documentElement;
    const SIZE_KEY = "portal.textSize";
    const CONTRAST_KEY = "portal.contrast";
    // Root font sizes, from one step smaller to twice the reader's own browser size.
    const SCALES = [0.875, 1, 1.125, 1.25, 1.5, 1.75, 2];
    const MIN_STEP = -1;
    const MAX_STEP = MIN_STEP + SCALES.length - 1;
    // The reader's own browser text size (its font-size setting) against the usual 16 px,
    // read before the stylesheets load: large text is large whichever way it was asked for.
    const BROWSER_SCALE = parseFloat(window.getComputedStyle(root).fontSize) / 16 || 1;

    function read(key) {
        try {
            return window.localStorage.getItem(key);
        } catch (error) {
            return null;
        }
    }

    function write(key, value) {
        try {
            window.localStorage.setItem(key, value);
        } catch (error) {
            /* Private browsing: the choice still applies to this page. */
        }
    }

    function clampStep(step) {
        return Number.isInteger(step) ? Math.min(MAX_STEP, Math.max(MIN_STEP, step)) : 0;
    }

    function applyTextStep(step) {
        step = clampStep(step);
        root.dataset.textSize = String(step);
        // From one and a half times the usual size on, the header stacks its parts (site.css).
        root.classList.toggle("text-large", BROWSER_SCALE * SCALES[step - MIN_STEP] >= 1.5);
        if (step === 0) {
            root.style.removeProperty("--text-scale");
        } else {
            root.style.setProperty("--text-scale", String(SCALES[step - MIN_STEP]));
        }
        return step;
    }

    function applyContrast(high) {
        root.classList.toggle("high-contrast", high);
        return high;
    }

    const stored = read(CONTRAST_KEY);
    const prefersMore = window.matchMedia && window.matchMedia("(prefers-contrast: more)").matches;
    root.classList.add("js");
    applyTextStep(parseInt(read(SIZE_KEY) || "0", 10));
    applyContrast(stored ? stored === "high" : prefersMore);

    window.portalPrefs = {
        textStep: function () {
            return parseInt(root.dataset.textSize, 10);
        },
        setTextStep: function (step) {
            step = applyTextStep(step);
            write(SIZE_KEY, String(step));
            return step;
        },
        highContrast: function () {
            return root.classList.contains("high-contrast");
        },
        setHighContrast: function (high) {
            write(CONTRAST_KEY, high ? "high" : "normal");
            return applyContrast(high);
        },
    };
})();
