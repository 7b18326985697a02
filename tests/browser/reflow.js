/* What keeps a page from reflowing, as short texts (tests/browser/test_reflow.py).
   A page must not scroll sideways nor draw anything beyond the screen's sides. A box that
   scrolls sideways on its own is allowed if it says so: a region with a name that the
   keyboard reaches (WCAG 2.1.1), with a shadow at the side that has more to see. */
() => {
    const problems = [];
    const width = window.innerWidth;
    const page = document.scrollingElement;
    if (page.scrollWidth > width) {
        problems.push(`the page scrolls sideways: ${page.scrollWidth} px in ${width}`);
    }
    const name = (element) => {
        const classes = typeof element.className === "string" ? element.className.trim() : "";
        return element.id ? `#${element.id}`
            : element.tagName.toLowerCase() + (classes ? "." + classes.split(/\s+/).join(".") : "");
    };
    const overflow = (element) => getComputedStyle(element).overflowX;
    const scrolls = (element) => ["auto", "scroll"].includes(overflow(element));
    const elements = [...document.body.querySelectorAll("*")];
    const scrolling = elements.filter((element) => scrolls(element) && element.scrollWidth > element.clientWidth);
    for (const box of new Set([...scrolling, ...document.querySelectorAll(".table-scroll")])) {
        const label = box.getAttribute("aria-label") || box.getAttribute("aria-labelledby");
        if (box.getAttribute("role") !== "region" || !label || box.tabIndex !== 0) {
            problems.push(`${name(box)} scrolls without being a named region the keyboard reaches`);
        }
        if (scrolling.includes(box) && getComputedStyle(box).backgroundImage === "none") {
            problems.push(`${name(box)} scrolls with no shadow to say so`);
        }
    }
    // What lies beyond a side of the screen: the outermost such element only. Inside a box
    // that scrolls it is the box's business; inside one that clips it is cut off, unless the
    // box is the one-pixel box of text for screen readers only.
    const reported = [];
    for (const element of elements) {
        const rect = element.getBoundingClientRect();
        if (rect.width <= 1 || rect.height <= 1 || (rect.left >= -1 && rect.right <= width + 1)) {
            continue;
        }
        let holder = element.parentElement;
        while (holder !== document.body && overflow(holder) === "visible") {
            holder = holder.parentElement;
        }
        if (reported.some((shown) => shown.contains(element)) || scrolls(holder)) {
            continue;
        }
        if (holder !== document.body) {
            const box = holder.getBoundingClientRect();
            if (box.width > 1 && box.height > 1) {
                problems.push(`${name(element)} is cut off by ${name(holder)}`);
                reported.push(element);
            }
            continue;
        }
        reported.push(element);
        problems.push(`${name(element)} lies outside the screen: ${Math.round(rect.left)} to ${Math.round(rect.right)} px of ${width}`);
    }
    return problems;
}
