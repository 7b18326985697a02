/* Reading tools on the article page: print, and "Đọc bài", read aloud by the browser's own
   Vietnamese voice (the button stays hidden where the browser has none). */
"use strict";
(function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
        button.addEventListener("click", function () {
            window.print();
        });
    });

    const button = document.querySelector("[data-read-aloud]");
    const text = document.querySelector("[data-article-text]");
    const synth = window.speechSynthesis;
    if (!button || !text || !synth || !window.SpeechSynthesisUtterance) {
        return;
    }
    // Chrome stops an utterance after about fifteen seconds: speak a sentence at a time.
    const MAX_CHUNK = 180;
    const readLabel = button.textContent;
    const stopLabel = button.dataset.stopLabel;
    let voice = null;
    let session = 0;
    let reading = false;

    function findVoice() {
        const voices = synth.getVoices().filter(function (candidate) {
            return (candidate.lang || "").toLowerCase().startsWith("vi");
        });
        // A voice of the device first: a network voice sends the text to its maker.
        voice = voices.find(function (candidate) { return candidate.localService; }) || voices[0];
        button.hidden = !voice && !reading;
    }

    function sentences(block) {
        const chunks = [];
        block.replace(/([.!?…]+["”’»)\]]*)\s+/g, "$1\n").split("\n").forEach(function (line) {
            let rest = line.replace(/\s+/g, " ").trim();
            while (rest.length > MAX_CHUNK) {
                let cut = rest.lastIndexOf(", ", MAX_CHUNK);
                if (cut < MAX_CHUNK / 2) {
                    cut = rest.lastIndexOf(" ", MAX_CHUNK);
                }
                if (cut <= 0) {
                    cut = MAX_CHUNK;
                }
                chunks.push(rest.slice(0, cut + 1).trim());
                rest = rest.slice(cut + 1).trim();
            }
            if (rest) {
                chunks.push(rest);
            }
        });
        return chunks;
    }

    function articleChunks() {
        const title = document.querySelector(".article h1");
        const blocks = title ? [title.innerText] : [];
        Array.prototype.forEach.call(text.children, function (child) {
            if (child.tagName !== "FIGURE") {
                blocks.push(child.innerText);
            }
        });
        return blocks.flatMap(sentences);
    }

    function show(on) {
        reading = on;
        button.setAttribute("aria-pressed", String(on));
        button.textContent = on ? stopLabel : readLabel;
    }

    function stop() {
        session += 1;
        if (reading) {
            synth.cancel();
            show(false);
        }
    }

    function start() {
        stop();
        const current = session;
        const queue = articleChunks();
        show(true);
        const next = function () {
            if (current !== session) {
                return;
            }
            const chunk = queue.shift();
            if (chunk === undefined) {
                show(false);
                return;
            }
            const utterance = new window.SpeechSynthesisUtterance(chunk);
            utterance.lang = "vi-VN";
            utterance.voice = voice;
            utterance.addEventListener("end", next);
            utterance.addEventListener("error", function () {
                if (current === session) {
                    stop();
                }
            });
            synth.speak(utterance);
        };
        next();
    }

    button.addEventListener("click", function () {
        if (reading) {
            stop();
        } else {
            start();
        }
    });
    document.addEventListener("visibilitychange", function () {
        if (document.hidden) {
            stop();
        }
    });
    window.addEventListener("pagehide", stop);
    // Voices arrive later in most browsers.
    synth.addEventListener("voiceschanged", findVoice);
    findVoice();
})();
